// Small git reads and writes the landing steps share: the branch a working tree has checked out,
// where a branch is checked out, ancestry, a working tree's uncommitted paths, commits with the
// user's own identity, moving a branch together with the index (and files) of the tree it is in.
import type { GitRunner } from './git.js';
import { GitCommandError, asWorkspaceError } from './git.js';
import { WorkspaceError } from './errors.js';
import { parseObjectId } from './refs.js';

/** The working tree (main checkout or linked worktree) that has `branch` checked out, or null. */
export async function findWorktreeOfBranch(git: GitRunner, cwd: string, branch: string): Promise<string | null> {
  const output = await git.run({ cwd, args: ['worktree', 'list', '--porcelain', '-z'] });
  let current: string | null = null;
  for (const field of output.split('\0')) {
    if (field.startsWith('worktree ')) current = field.slice('worktree '.length);
    if (field === `branch refs/heads/${branch}` && current !== null) return current;
  }
  return null;
}

/** The branch checked out in `cwd`, or null on a detached HEAD. */
export async function checkedOutBranch(git: GitRunner, cwd: string): Promise<string | null> {
  try {
    const name = (await git.run({ cwd, args: ['symbolic-ref', '--quiet', '--short', 'HEAD'] })).trim();
    return name === '' ? null : name;
  } catch (error) {
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

/** The commit a branch points to, or null when there is no such branch. */
export async function branchTip(git: GitRunner, cwd: string, branch: string): Promise<string | null> {
  try {
    const out = await git.run({
      cwd,
      args: ['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/heads/${branch}^{commit}`],
    });
    return parseObjectId(out, 'rev-parse');
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return null;
    throw asWorkspaceError(error, `reading branch ${branch}`);
  }
}

export async function isAncestor(git: GitRunner, cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git.run({ cwd, args: ['merge-base', '--is-ancestor', ancestor, descendant] });
    return true;
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return false;
    throw asWorkspaceError(error, 'comparing commits');
  }
}

export async function treeOfCommit(git: GitRunner, cwd: string, commit: string): Promise<string> {
  return parseObjectId(await git.run({ cwd, args: ['rev-parse', '--verify', `${commit}^{tree}`] }), 'rev-parse tree');
}

/** Paths that differ between two commits or trees (both sides of a rename). */
export async function changedPaths(git: GitRunner, cwd: string, from: string, to: string): Promise<string[]> {
  const out = await git.run({ cwd, args: ['diff', '--name-only', '-z', '--no-renames', from, to, '--'] });
  return out.split('\0').filter((path) => path !== '');
}

/**
 * Paths with uncommitted changes in a working tree: staged, unstaged and untracked (not ignored),
 * both names of a rename.
 */
export async function uncommittedPaths(git: GitRunner, cwd: string): Promise<string[]> {
  const out = await git.run({ cwd, args: ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'] });
  const paths: string[] = [];
  for (const record of out.split('\0')) {
    if (record.length > 3) paths.push(record.slice(3));
  }
  return paths;
}

const IDENTITY_UNKNOWN = /Please tell me who you are|unable to auto-detect email|empty ident/i;

/** A commit of `tree` with the user's own identity (git config), never signed, no hooks. */
export async function commitAsUser(
  git: GitRunner,
  cwd: string,
  tree: string,
  parents: readonly string[],
  message: string,
): Promise<string> {
  const args = ['commit-tree', '--no-gpg-sign', tree];
  for (const parent of parents) args.push('-p', parent);
  try {
    return parseObjectId(
      await git.run({ cwd, args, input: message.endsWith('\n') ? message : `${message}\n` }),
      'commit-tree',
    );
  } catch (error) {
    if (error instanceof GitCommandError && IDENTITY_UNKNOWN.test(error.stderr)) {
      throw new WorkspaceError(
        'git_failed',
        'git does not know who you are: set `git config --global user.name "Your Name"` and `git config --global user.email you@example.com`, then land again',
        { cause: error },
      );
    }
    throw asWorkspaceError(error, 'writing a commit');
  }
}

/** Moves `refs/heads/<branch>` from `from` to `to` (refused by git when the branch moved meanwhile). */
export async function moveBranch(
  git: GitRunner,
  cwd: string,
  branch: string,
  to: string,
  from: string,
  reason: string,
): Promise<void> {
  try {
    await git.run({ cwd, args: ['update-ref', '-m', reason, `refs/heads/${branch}`, to, from] });
  } catch (error) {
    throw asWorkspaceError(error, `moving branch ${branch}`);
  }
}

/** Sets a working tree's index to `commit` without touching its files (like `git reset --mixed`). */
export async function resetIndex(git: GitRunner, cwd: string, commit: string): Promise<void> {
  await git.run({ cwd, args: ['read-tree', commit] });
}

/**
 * Brings a working tree whose index and files are at `from` to `to` (a two-tree `read-tree -m -u`):
 * git refuses, changing nothing, when that would overwrite a local change or an untracked file.
 */
export async function advanceTree(git: GitRunner, cwd: string, from: string, to: string): Promise<void> {
  // Fresh stat data first: an index written by read-tree alone has none, and git would call every file modified.
  await git.run({ cwd, args: ['update-index', '-q', '--refresh'] }).catch((error: unknown) => {
    if (!(error instanceof GitCommandError)) throw error; // exit 1 only says some files differ
  });
  await git.run({ cwd, args: ['read-tree', '-m', '-u', from, to] });
}

/** The remotes of a repository, `origin` first. */
export async function remotes(git: GitRunner, cwd: string): Promise<string[]> {
  const names = (await git.run({ cwd, args: ['remote'] })).split('\n').filter((name) => name !== '');
  return names.sort((a, b) => (a === 'origin' ? -1 : b === 'origin' ? 1 : a.localeCompare(b)));
}

/** The first line of a message (for a subject), cut to `max` characters. */
export function subjectOf(message: string, max = 72): string {
  const first =
    message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
