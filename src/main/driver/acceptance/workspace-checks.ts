// The acceptance checks that read the workspace itself: `git_clean` and `no_paths_touched` (through
// git-checks.ts) and `file_matches`, whose path is confined to the workspace (symlinks included) and
// whose regex runs off the event loop (regex-match.ts). Each gives a CriterionResult, never throws for
// a problem of the criterion.
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { AcceptanceCriterion } from '../../../shared/domain/goal.js';
import type { AcceptanceContext } from '../acceptance.js';
import { changesSinceBase, forbiddenPaths, headCommit, isGitWorkTree, uncommittedChanges } from './git-checks.js';
import { matchInWorker, regexProblem } from './regex-match.js';
import { errorText } from '../error-text.js';

/** One criterion's result; a judge's spend rides along so the verdict can count it. */
export type CriterionResult = ({ ok: true } | { ok: false; message: string; evidence: string | null }) & {
  costUsd?: number;
  tokens?: number;
};

export async function checkClean(workspacePath: string): Promise<CriterionResult> {
  if (!(await isGitWorkTree(workspacePath)))
    return { ok: false, message: 'git_clean: the workspace is not a git repository', evidence: null };
  const dirty = await uncommittedChanges(workspacePath);
  if (dirty.length === 0) return { ok: true };
  return {
    ok: false,
    message: `git_clean: workspace dirty (${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'})`,
    evidence: dirty.slice(0, 50).join('\n'),
  };
}

export async function checkUntouched(
  globs: readonly string[],
  workspacePath: string,
  context: AcceptanceContext | undefined,
): Promise<CriterionResult> {
  if (!(await isGitWorkTree(workspacePath)))
    return { ok: false, message: 'no_paths_touched: the workspace is not a git repository', evidence: null };
  const { paths } = await changesSinceBase(
    workspacePath,
    context !== undefined ? context.baseCommit : await headCommit(workspacePath),
  );
  const hits = forbiddenPaths(paths, globs);
  if (hits.length === 0) return { ok: true };
  const shown = hits.slice(0, 20).join(', ');
  return {
    ok: false,
    message: `no_paths_touched: changed forbidden paths: ${shown}${hits.length > 20 ? ` (and ${hits.length - 20} more)` : ''}`,
    evidence: null,
  };
}

export async function matchFile(
  criterion: Extract<AcceptanceCriterion, { kind: 'file_matches' }>,
  workspacePath: string,
  regexTimeLimitMs: number,
  signal: AbortSignal | undefined,
): Promise<CriterionResult> {
  const root = await realpath(workspacePath);
  const target = resolve(root, criterion.path);
  if (!isInside(root, target)) {
    return { ok: false, message: `file_matches path escapes workspace: ${criterion.path}`, evidence: null };
  }
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    return criterion.required
      ? { ok: false, message: `file not found: ${criterion.path}`, evidence: null }
      : { ok: true };
  }
  const canonical = await realpath(target);
  if (!isInside(root, canonical)) {
    return {
      ok: false,
      message: `file_matches path escapes workspace: ${criterion.path} resolves to ${canonical}`,
      evidence: null,
    };
  }
  let content: string;
  try {
    content = await readFile(canonical, 'utf8');
  } catch (error) {
    return { ok: false, message: `cannot read ${criterion.path}: ${errorText(error)}`, evidence: null };
  }
  const match = await matchInWorker(criterion.regex, content, {
    timeLimitMs: regexTimeLimitMs,
    ...(signal !== undefined ? { signal } : {}),
  });
  const problem = regexProblem(match, criterion.regex, '');
  if (problem !== null) return { ok: false, message: problem, evidence: null };
  if (match.kind === 'not_matched') {
    return {
      ok: false,
      message: `file_matches(${criterion.path}): regex did not match: ${criterion.regex}`,
      evidence: null,
    };
  }
  return { ok: true };
}

function isInside(root: string, target: string): boolean {
  if (target === root) return true;
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
