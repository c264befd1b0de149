// The git-based acceptance checks: `git_clean` (nothing uncommitted in the working tree) and
// `no_paths_touched` (no path changed since the goal's base commit matches a forbidden glob), plus
// the goal's cumulative diff the judge reads. "Changed since the base" covers commits the agent made,
// staged and unstaged edits, deletions and new untracked files (not ignored ones): the working tree
// is hashed through a throw-away index file, so the user's own index is never touched. Git runs
// with hooks and fsmonitor off: these checks must not execute anything from the repository.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimatch } from 'minimatch';

/** git's empty tree: the base of a repository that had no commit when the goal started. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const GIT_TIMEOUT_MS = 60_000;
const SAFE_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false'];

export class GitCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitCheckError';
  }
}

interface GitOutput {
  stdout: string;
}

function git(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  maxBuffer = 64 * 1024 * 1024,
): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      {
        cwd,
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', ...env },
        timeout: GIT_TIMEOUT_MS,
        maxBuffer,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new GitCheckError(`git ${args[0] ?? ''} failed: ${String(stderr).trim() || error.message}`));
          return;
        }
        resolve({ stdout: String(stdout) });
      },
    );
  });
}

export async function isGitWorkTree(cwd: string): Promise<boolean> {
  try {
    return (await git(cwd, ['rev-parse', '--is-inside-work-tree'])).stdout.trim() === 'true';
  } catch {
    return false;
  }
}

/** HEAD's commit, or null in a repository without commits (the base when no goal context is given). */
export async function headCommit(cwd: string): Promise<string | null> {
  try {
    return (await git(cwd, ['rev-parse', '--verify', '-q', 'HEAD'])).stdout.trim() || null;
  } catch {
    return null;
  }
}

/** `git status --porcelain` lines (empty: clean). */
export async function uncommittedChanges(cwd: string): Promise<string[]> {
  const { stdout } = await git(cwd, ['status', '--porcelain', '--untracked-files=all']);
  return stdout.split('\n').filter((line) => line.trim() !== '');
}

export interface CumulativeChanges {
  /** Paths (relative to the repository root) changed since the base, old and new names of renames included. */
  paths: string[];
  /** The unified diff base → working tree, cut to `maxPatchBytes`. */
  patch: string;
  patchTruncated: boolean;
}

/** What changed in the working tree at `cwd` since `baseCommit` (null: since the empty tree). */
export async function changesSinceBase(
  cwd: string,
  baseCommit: string | null,
  options: { maxPatchBytes?: number; withPatch?: boolean } = {},
): Promise<CumulativeChanges> {
  const base = baseCommit ?? EMPTY_TREE;
  const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).stdout.trim();
  const scratch = await mkdtemp(join(tmpdir(), 'overseer-accept-'));
  try {
    const index = { GIT_INDEX_FILE: join(scratch, 'index') };
    await git(top, ['add', '-A', '--', '.'], index);
    const names = await git(top, ['diff', '--cached', '--no-renames', '--name-only', '-z', base], index);
    const paths = names.stdout.split('\0').filter((path) => path !== '');
    if (options.withPatch !== true) return { paths, patch: '', patchTruncated: false };
    const maxPatchBytes = options.maxPatchBytes ?? 200_000;
    const patch = await git(
      top,
      ['diff', '--cached', '--no-renames', '--no-color', '--no-ext-diff', base],
      index,
      Math.max(maxPatchBytes * 4, 8 * 1024 * 1024),
    ).catch((error: unknown) => {
      // A diff larger than the buffer: say so rather than fail the judge.
      if (error instanceof GitCheckError && /maxBuffer/i.test(error.message)) return { stdout: '' };
      throw error;
    });
    const bytes = Buffer.from(patch.stdout, 'utf8');
    if (bytes.length <= maxPatchBytes && !(patch.stdout === '' && paths.length > 0))
      return { paths, patch: patch.stdout, patchTruncated: false };
    return {
      paths,
      patch: bytes
        .subarray(0, maxPatchBytes)
        .toString('utf8')
        .replace(/\uFFFD+$/, ''),
      patchTruncated: true,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Whether a repository-relative path matches a forbidden glob. Globs follow .gitignore habits: one
 * without a slash matches at any depth (`*.env`, `secrets`), one with a slash is anchored at the
 * root (`src/generated/**`); a glob naming a directory covers everything under it.
 */
export function pathMatchesGlob(path: string, glob: string): boolean {
  const pattern = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (pattern === '') return false;
  const anchored = pattern.includes('/');
  const options = { dot: true, matchBase: !anchored };
  if (minimatch(path, pattern, options)) return true;
  // The glob names a directory: any path below it.
  const segments = path.split('/');
  for (let end = 1; end < segments.length; end += 1) {
    const prefix = segments.slice(0, end).join('/');
    if (
      anchored ? minimatch(prefix, pattern, { dot: true }) : minimatch(segments[end - 1] ?? '', pattern, { dot: true })
    )
      return true;
  }
  return false;
}

/** Paths among `paths` that match any of `globs`, in order. */
export function forbiddenPaths(paths: readonly string[], globs: readonly string[]): string[] {
  return paths.filter((path) => globs.some((glob) => pathMatchesGlob(path, glob)));
}
