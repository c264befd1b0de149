// The stat of the change between two trees, as `git diff --numstat -M` counts it: one
// `git diff --raw --numstat -z -M` call, parsed record by record (status from the raw part, line
// counts from the numstat part; both list the files in the same order).
import type { DiffFileStat, DiffStat } from '../../shared/domain/goal.js';
import { WorkspaceError } from './errors.js';
import { asWorkspaceError, type GitRunner } from './git.js';

export interface CumulativeDiff {
  /** The commit the goal started from. */
  baseCommit: string;
  /** The tree of the working tree now (snapshotted for this call; not kept by a ref). */
  tree: string;
  stat: DiffStat;
}

/** Options every diff we run shares: plain output whatever the user's config says, renames on. */
export const DIFF_BASE_OPTIONS = ['--no-color', '--no-ext-diff', '--no-relative', '-M'] as const;

type FileStatus = DiffFileStat['status'];

function statusOf(letter: string): { status: FileStatus; twoPaths: boolean } {
  switch (letter[0]) {
    case 'A':
      return { status: 'added', twoPaths: false };
    case 'D':
      return { status: 'deleted', twoPaths: false };
    case 'M':
      return { status: 'modified', twoPaths: false };
    case 'T':
      return { status: 'type_changed', twoPaths: false };
    case 'R':
      return { status: 'renamed', twoPaths: true };
    // Copies appear only with -C; a copy is a new file, oldPath says where it came from.
    case 'C':
      return { status: 'added', twoPaths: true };
    default:
      throw new WorkspaceError('git_failed', `unexpected diff status ${JSON.stringify(letter)}`);
  }
}

const RAW_META = /^:\d{6} \d{6} [0-9a-f]+ [0-9a-f]+ ([A-Z])\d*$/;
const NUMSTAT_HEAD = /^(-|\d+)\t(-|\d+)\t(.*)$/s;

/** Parses `git diff --raw --numstat -z` output. */
export function parseRawNumstat(output: string): DiffFileStat[] {
  const tokens = output.split('\0');
  let at = 0;
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new WorkspaceError('git_failed', 'truncated diff output');
    return token;
  };
  const raw: { status: FileStatus; path: string; oldPath: string | null }[] = [];
  while (at < tokens.length && (tokens[at] ?? '').startsWith(':')) {
    const meta = RAW_META.exec(next());
    if (meta === null || meta[1] === undefined) throw new WorkspaceError('git_failed', 'unparseable raw diff record');
    const { status, twoPaths } = statusOf(meta[1]);
    const first = next();
    if (twoPaths) raw.push({ status, oldPath: first, path: next() });
    else raw.push({ status, oldPath: null, path: first });
  }
  const files: DiffFileStat[] = [];
  for (const entry of raw) {
    const head = NUMSTAT_HEAD.exec(next());
    if (head === null || head[1] === undefined || head[2] === undefined) {
      throw new WorkspaceError('git_failed', 'unparseable numstat record');
    }
    // A rename/copy prints an empty path field, then the two paths as their own records.
    if (entry.oldPath !== null && head[3] === '') {
      next();
      next();
    }
    const binary = head[1] === '-' || head[2] === '-';
    files.push({
      path: entry.path,
      oldPath: entry.oldPath,
      status: entry.status,
      added: binary ? 0 : Number(head[1]),
      removed: binary ? 0 : Number(head[2]),
      binary,
    });
  }
  if (at < tokens.length - 1 || (tokens[at] ?? '') !== '') {
    throw new WorkspaceError('git_failed', 'diff output has records the parser did not expect');
  }
  return files;
}

export function totals(files: DiffFileStat[]): DiffStat {
  let added = 0;
  let removed = 0;
  for (const file of files) {
    added += file.added;
    removed += file.removed;
  }
  return { files, added, removed };
}

/**
 * Per-file stat between two tree-ish ids (already checked), optionally limited to pathspecs.
 * `direct`: see GitCall (the turn's diff after each post checkpoint uses it).
 */
export async function diffFiles(
  git: GitRunner,
  cwd: string,
  from: string,
  to: string,
  pathspecs: readonly string[] = [],
  options: { direct?: boolean } = {},
): Promise<DiffFileStat[]> {
  try {
    const output = await git.run({
      cwd,
      args: ['diff', '--raw', '--numstat', '-z', '--no-abbrev', ...DIFF_BASE_OPTIONS, from, to, '--', ...pathspecs],
      ...(options.direct === true ? { direct: true } : {}),
    });
    return parseRawNumstat(output);
  } catch (error) {
    throw asWorkspaceError(error, `diff ${from}..${to}`);
  }
}

/** A diff prepared ahead of time (GitRunner.prepare): it runs at `start`, never after `cancel`. */
export interface PreparedDiff {
  start(): void;
  cancel(): void;
  files: Promise<DiffFileStat[]>;
}

/**
 * Per-file stat between a tree-ish and the content of an index file (`git diff --cached` through
 * GIT_INDEX_FILE): the same as diffFiles against the tree that index writes, available before
 * write-tree has run. Prepared now, run at `start` (once the index holds what is to be compared):
 * its process is started while the caller waits on `add -A` (see GitRunner.prepare).
 */
export function prepareIndexDiff(git: GitRunner, cwd: string, from: string, indexFile: string): PreparedDiff {
  const prepared = git.prepare({
    cwd,
    args: ['diff', '--cached', '--raw', '--numstat', '-z', '--no-abbrev', ...DIFF_BASE_OPTIONS, from, '--'],
    env: { GIT_INDEX_FILE: indexFile },
  });
  const files = prepared.result.then(parseRawNumstat, (error: unknown) => {
    throw asWorkspaceError(error, `diff ${from}..index`);
  });
  files.catch(() => undefined); // a prepared diff nobody waits for (cancelled) is no unhandled rejection
  return { start: () => prepared.start(), cancel: () => prepared.cancel(), files };
}
