// Creating or reopening a goal's workspace (WorkspacePort.ensure):
// - worktree (default): `<worktreesDir>/<goal id>` on branch overseer/<first 8 of the id>, from the
//   repository's HEAD at the first ensure; a later ensure reopens it (or re-adds it from the branch
//   if the folder was deleted) instead of failing like the original did;
// - in place (goal.inPlace): the repository's own working tree;
// - no git (goal.metadata.noGit === true): the folder as is, no checkpoints or diffs.
// The commit a goal started from is kept in refs/overseer/<goal id>/base, so it survives restarts.
// A repository without commits: worktree mode refuses (empty_repository: nothing to branch from);
// in-place mode starts from an Overseer-made commit of the empty tree, so every file counts as added.
import { mkdir, readFile, readdir, realpath, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { Goal, GoalId } from '../../shared/domain/goal.js';
import type { Workspace } from '../driver/index.js';
import { WorkspaceError } from './errors.js';
import { GitCommandError, asWorkspaceError, type GitRunner } from './git.js';
import {
  baseRef,
  branchName,
  checkedGoalId,
  checkpointsAmong,
  goalRefPrefix,
  parseObjectId,
  readRef,
  readRefs,
  updateRefs,
  type CheckpointInfo,
} from './refs.js';
import { commitSnapshot, resolveRepo, type RepoContext } from './snapshot.js';
import { pathExists } from './path-exists.js';

/** Goal metadata flag for the explicit no-git mode: `{ "noGit": true }`. */
export const NO_GIT_METADATA_KEY = 'noGit';

export function wantsNoGit(goal: Goal): boolean {
  return z.literal(true).safeParse(goal.metadata[NO_GIT_METADATA_KEY]).success;
}

/** The folder must exist and be a directory. Returns its real path. */
export async function existingDirectory(path: string): Promise<string> {
  const absolute = resolve(path);
  let info;
  try {
    info = await stat(absolute);
  } catch {
    throw new WorkspaceError('repo_missing', `${absolute} does not exist`);
  }
  if (!info.isDirectory()) throw new WorkspaceError('not_a_directory', `${absolute} is not a directory`);
  return realpath(absolute);
}

/** HEAD's commit, or null when the repository has no commits yet. */
export async function headCommit(git: GitRunner, cwd: string): Promise<string | null> {
  try {
    return parseObjectId(
      await git.run({ cwd, args: ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'] }),
      'rev-parse HEAD',
    );
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return null;
    throw asWorkspaceError(error, 'reading HEAD');
  }
}

async function currentBranch(git: GitRunner, cwd: string): Promise<string | null> {
  try {
    const name = (await git.run({ cwd, args: ['symbolic-ref', '--quiet', '--short', 'HEAD'] })).trim();
    return name === '' ? null : name;
  } catch (error) {
    if (error instanceof GitCommandError) return null; // detached HEAD
    throw error;
  }
}

/** An Overseer commit of the empty tree: the base of an in-place goal in a repository without commits. */
async function emptyBaseCommit(git: GitRunner, context: RepoContext, goalId: GoalId): Promise<string> {
  const scratchIndex = join(context.gitDir, 'overseer', `${goalId}.empty.index`);
  await mkdir(join(context.gitDir, 'overseer'), { recursive: true });
  try {
    const emptyTree = parseObjectId(
      await git.run({ cwd: context.top, args: ['write-tree'], env: { GIT_INDEX_FILE: scratchIndex } }),
      'write-tree',
    );
    return await commitSnapshot(git, context.top, emptyTree, null, `overseer: empty base of goal ${goalId}`);
  } finally {
    await rm(scratchIndex, { force: true });
  }
}

interface WorktreeEntry {
  path: string;
  branch: string | null;
}

async function listWorktrees(git: GitRunner, cwd: string): Promise<WorktreeEntry[]> {
  const output = await git.run({ cwd, args: ['worktree', 'list', '--porcelain', '-z'] });
  const entries: WorktreeEntry[] = [];
  for (const field of output.split('\0')) {
    if (field.startsWith('worktree ')) entries.push({ path: field.slice('worktree '.length), branch: null });
    const current = entries[entries.length - 1];
    if (current !== undefined && field.startsWith('branch refs/heads/'))
      current.branch = field.slice('branch refs/heads/'.length);
  }
  return entries;
}

async function samePath(listed: string, target: string): Promise<boolean> {
  if (resolve(listed) === target) return true;
  try {
    return (await realpath(listed)) === target;
  } catch {
    return false;
  }
}

export async function findWorktree(git: GitRunner, cwd: string, target: string): Promise<WorktreeEntry | null> {
  for (const entry of await listWorktrees(git, cwd)) {
    if (await samePath(entry.path, target)) return entry;
  }
  return null;
}

async function isEmptyOrMissing(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch {
    return true;
  }
}

/** `<real worktreesDir>/<goal id>` (creating worktreesDir, mode 0700). */
export async function worktreeTarget(worktreesDir: string, goalId: GoalId): Promise<string> {
  await mkdir(worktreesDir, { recursive: true, mode: 0o700 });
  return join(await realpath(worktreesDir), goalId);
}

async function gitOrFail(git: GitRunner, cwd: string, args: string[], what: string): Promise<void> {
  try {
    await git.run({ cwd, args });
  } catch (error) {
    throw asWorkspaceError(error, what);
  }
}

async function ensureWorktree(
  git: GitRunner,
  worktreesDir: string,
  goalId: GoalId,
  context: RepoContext,
): Promise<EnsuredWorkspace> {
  const branch = branchName(goalId);
  const goalRefs = await readGoalRefs(git, context.top, goalId);
  const existingBase = goalRefs.base;
  const branchTip = await readRef(git, context.top, `refs/heads/${branch}`);
  let base = existingBase;
  if (base === null) {
    base = await headCommit(git, context.top);
    if (base === null) {
      throw new WorkspaceError(
        'empty_repository',
        `${context.top} has no commits yet, so there is nothing to branch a worktree from: make a first commit, or run the goal in place`,
      );
    }
    if (branchTip !== null) {
      throw new WorkspaceError(
        'branch_exists',
        `branch ${branch} already exists in ${context.top}; it is not this goal's`,
      );
    }
  }
  const target = await worktreeTarget(worktreesDir, goalId);
  const registered = await findWorktree(git, context.top, target);
  let actualBranch: string | null = branch;
  if (registered !== null && (await pathExists(join(target, '.git')))) {
    actualBranch = registered.branch; // reattach: the worktree is there, reopen it as it is
  } else {
    if (registered !== null) {
      // Registered, but its folder is gone: drop the stale registration, then add it again.
      await gitOrFail(
        git,
        context.top,
        ['worktree', 'remove', '--force', target],
        `clearing the stale worktree ${target}`,
      );
    } else if (!(await isEmptyOrMissing(target))) {
      throw new WorkspaceError('worktree_conflict', `${target} exists and is not a worktree of ${context.top}`);
    }
    if (existingBase === null) await updateRefs(git, context.top, [{ ref: baseRef(goalId), sha: base }]);
    const addArgs =
      branchTip !== null && existingBase !== null
        ? ['worktree', 'add', target, branch]
        : ['worktree', 'add', '-b', branch, target, base];
    await gitOrFail(git, context.top, addArgs, `creating the worktree ${target}`);
  }
  const path = join(target, context.prefix);
  await mkdir(path, { recursive: true });
  const workspace: Workspace = {
    goalId,
    path: resolve(path),
    repoPath: context.top,
    kind: 'worktree',
    branch: actualBranch,
    baseCommit: base,
  };
  const worktree = await linkedWorktreeContext(target, context);
  return { workspace, checkpoints: goalRefs.checkpoints, ...(worktree === null ? {} : { context: worktree }) };
}

async function readTrimmed(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

/**
 * The RepoContext of the linked worktree at `top` (a folder of the repository `repo`), read from
 * the files git keeps for it instead of asking `rev-parse` (the goal's first checkpoint would wait
 * for that process): `<top>/.git` says `gitdir: <its git dir>`, and that git dir's `commondir` and
 * `gitdir` files point back to the repository's git dir and to `<top>/.git`. The repository, object
 * format, prefix and sharing are `repo`'s. Null when any of it is not so (the caller then runs rev-parse).
 */
export async function linkedWorktreeContext(top: string, repo: RepoContext): Promise<RepoContext | null> {
  const gitFile = await readTrimmed(join(top, '.git'));
  if (gitFile === null || !gitFile.startsWith('gitdir: ')) return null;
  const gitDir = resolve(top, gitFile.slice('gitdir: '.length));
  const [commonDir, backLink] = await Promise.all([
    readTrimmed(join(gitDir, 'commondir')),
    readTrimmed(join(gitDir, 'gitdir')),
  ]);
  if (commonDir === null || backLink === null) return null;
  if (resolve(gitDir, commonDir) !== repo.commonDir || resolve(gitDir, backLink) !== join(top, '.git')) return null;
  return {
    top,
    gitDir,
    commonDir: repo.commonDir,
    prefix: repo.prefix,
    objectFormat: repo.objectFormat,
    sharedRepository: repo.sharedRepository,
  };
}

async function ensureInPlace(
  git: GitRunner,
  goalId: GoalId,
  folder: string,
  context: RepoContext,
): Promise<EnsuredWorkspace> {
  const goalRefs = await readGoalRefs(git, context.top, goalId);
  let base = goalRefs.base;
  if (base === null) {
    base = (await headCommit(git, context.top)) ?? (await emptyBaseCommit(git, context, goalId));
    await updateRefs(git, context.top, [{ ref: baseRef(goalId), sha: base }]);
  }
  const branch = await currentBranch(git, context.top);
  const workspace: Workspace = {
    goalId,
    path: folder,
    repoPath: context.top,
    kind: 'in_place',
    branch,
    baseCommit: base,
  };
  return { workspace, checkpoints: goalRefs.checkpoints, context };
}

/** A workspace, and the goal's checkpoints as its refs were read while ensuring it (none for no-git). */
export interface EnsuredWorkspace {
  workspace: Workspace;
  checkpoints: CheckpointInfo[];
  /** Where the workspace's path is in git (resolveRepo of workspace.path), when ensuring learnt it. */
  context?: RepoContext;
}

/** The goal's base commit and checkpoints: one read of the refs under its prefix. */
async function readGoalRefs(
  git: GitRunner,
  cwd: string,
  goalId: GoalId,
): Promise<{ base: string | null; checkpoints: CheckpointInfo[] }> {
  const refs = await readRefs(git, cwd, goalRefPrefix(goalId));
  const base = refs.find((entry) => entry.ref === baseRef(goalId))?.sha ?? null;
  return { base, checkpoints: checkpointsAmong(goalId, refs) };
}

export async function ensureWorkspace(git: GitRunner, worktreesDir: string, goal: Goal): Promise<EnsuredWorkspace> {
  const goalId = checkedGoalId(goal.id);
  const folder = await existingDirectory(goal.repoPath);
  if (wantsNoGit(goal)) {
    const workspace: Workspace = {
      goalId,
      path: folder,
      repoPath: folder,
      kind: 'no_git',
      branch: null,
      baseCommit: null,
    };
    return { workspace, checkpoints: [] };
  }
  let context: RepoContext;
  try {
    context = await resolveRepo(git, folder);
  } catch (error) {
    if (error instanceof WorkspaceError && error.code === 'not_a_repository') {
      throw new WorkspaceError(
        'not_a_repository',
        `${folder} is not a git repository: run \`git init\` there, or start the goal in no-git mode (metadata.${NO_GIT_METADATA_KEY} = true: no checkpoints, diffs or rollback)`,
        { cause: error },
      );
    }
    throw error;
  }
  if (goal.inPlace) return ensureInPlace(git, goalId, folder, context);
  const realWorktrees = resolve(worktreesDir);
  const fromTop = relative(context.top, realWorktrees);
  if (!isAbsolute(fromTop) && fromTop.split(sep)[0] !== '..') {
    // A worktree inside the repository's own tree would be snapshotted as part of it.
    throw new WorkspaceError(
      'invalid_argument',
      `the worktrees folder ${realWorktrees} is inside the repository ${context.top}`,
    );
  }
  return ensureWorktree(git, worktreesDir, goalId, context);
}
