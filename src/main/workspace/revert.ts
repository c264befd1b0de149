// Reverting one file or one hunk of a goal's change in its working tree, exactly: the file's patch
// between two snapshots (a turn's checkpoints, or the goal's base and the tree now) is taken uncut,
// with binary files as git's binary patches; for a hunk, the file's headers plus that one hunk. It is
// checked with `git apply -R --check` against the working tree, then applied with `git apply -R`. If
// the working tree changed since so the patch no longer applies, nothing is written (revert_conflict).
// Only the working tree is touched: no index (neither the user's nor the goal's private one), HEAD
// or branch. A reversed added file is removed; a reversed deletion brings the file back.
import type { DiffFileStat } from '../../shared/domain/goal.js';
import { WorkspaceError } from './errors.js';
import { GitCommandError, asWorkspaceError, type GitRunner } from './git.js';
import { diffFiles } from './diff-stat.js';
import { literalPathspec, quoteGitPath } from './patch.js';
import { fullPatchBetween } from './full-patch.js';

export interface RevertTarget {
  /** The file's path in the newer snapshot (the old path of a renamed file is accepted too). */
  path: string;
  /** 1-based hunk number in the file's patch, in the order git prints them; null: the whole file. */
  hunk: number | null;
}

export interface RevertResult {
  path: string;
  oldPath: string | null;
  status: DiffFileStat['status'];
  hunk: number | null;
  /** How many hunks the file's patch has. */
  hunks: number;
  /** The patch that was applied in reverse. */
  patch: string;
}

/** A file's patch cut into its headers (everything before the first `@@`) and its hunks. */
export interface SplitPatch {
  header: string;
  hunks: string[];
}

/** Splits one file's unified patch at its `@@ ` lines (a "\ No newline" line stays with its hunk). */
export function splitHunks(patch: string): SplitPatch {
  const lines = patch.split(/(?<=\n)/);
  const header: string[] = [];
  const hunks: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('@@ ')) hunks.push([line]);
    else if (hunks.length === 0) header.push(line);
    else hunks[hunks.length - 1]?.push(line);
  }
  return { header: header.join(''), hunks: hunks.map((hunk) => hunk.join('')) };
}

/** The patch of one hunk (1-based) of a file's patch: its headers and that hunk alone. */
export function hunkPatch(patch: string, hunk: number): { patch: string; hunks: number } {
  const split = splitHunks(patch);
  const text = split.hunks[hunk - 1];
  if (!Number.isSafeInteger(hunk) || hunk < 1 || text === undefined) {
    throw new WorkspaceError(
      'invalid_argument',
      split.hunks.length === 0
        ? 'this file’s change has no hunks (binary or mode-only): revert the whole file'
        : `there is no hunk ${hunk}: the file’s change has ${split.hunks.length} hunk(s)`,
    );
  }
  return { patch: split.header + text, hunks: split.hunks.length };
}

async function filePatch(git: GitRunner, top: string, from: string, to: string, file: DiffFileStat): Promise<string> {
  const pathspecs = [...new Set([file.oldPath ?? file.path, file.path])].map(literalPathspec);
  const patch = await fullPatchBetween(git, top, from, to, { pathspecs, what: `patch of ${file.path}` });
  const header = `diff --git ${quoteGitPath(`a/${file.oldPath ?? file.path}`)} ${quoteGitPath(`b/${file.path}`)}\n`;
  if (!patch.startsWith(header))
    throw new WorkspaceError('git_failed', `the patch of ${file.path} does not start with its own header`);
  return patch;
}

async function applyReverse(git: GitRunner, top: string, patch: string, check: boolean): Promise<void> {
  await git.run({
    cwd: top,
    // Sparse-checkout patterns must not make git skip the file.
    config: ['core.sparseCheckout=false'],
    args: ['apply', '--reverse', '--whitespace=nowarn', ...(check ? ['--check'] : []), '-'],
    input: patch,
  });
}

/**
 * Reverts `target` (a file, or one of its hunks) of the change `from` → `to` in the working tree at
 * `top`. Throws invalid_argument when the file did not change there or the hunk does not exist, and
 * revert_conflict (with git's reason) when the patch no longer applies; then nothing was changed.
 */
export async function revertChange(
  git: GitRunner,
  top: string,
  from: string,
  to: string,
  target: RevertTarget,
): Promise<RevertResult> {
  const files = await diffFiles(git, top, from, to);
  const file =
    files.find((entry) => entry.path === target.path) ?? files.find((entry) => entry.oldPath === target.path);
  if (file === undefined) throw new WorkspaceError('invalid_argument', `${target.path} is not part of this change`);
  const whole = await filePatch(git, top, from, to, file);
  let patch = whole;
  let hunks = splitHunks(whole).hunks.length;
  if (target.hunk !== null) {
    if (file.binary) throw new WorkspaceError('invalid_argument', `${file.path} is binary: revert the whole file`);
    ({ patch, hunks } = hunkPatch(whole, target.hunk));
  }
  try {
    await applyReverse(git, top, patch, true);
  } catch (error) {
    if (error instanceof GitCommandError) {
      const what = target.hunk === null ? file.path : `hunk ${target.hunk} of ${file.path}`;
      const reason = error.stderr.trim().split('\n').slice(-2).join(' ');
      throw new WorkspaceError(
        'revert_conflict',
        `${what} no longer matches the working tree (it changed since), so it cannot be reverted exactly; nothing was changed${reason === '' ? '' : ` (git: ${reason})`}`,
        { cause: error },
      );
    }
    throw error;
  }
  try {
    await applyReverse(git, top, patch, false);
  } catch (error) {
    throw asWorkspaceError(error, `reverting ${file.path}`);
  }
  return { path: file.path, oldPath: file.oldPath, status: file.status, hunk: target.hunk, hunks, patch };
}
