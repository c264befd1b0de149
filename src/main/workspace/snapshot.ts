// Snapshots of a whole working tree without touching the user's index, HEAD or branches: where a
// path's repository lives (RepoContext), Overseer's private per-goal index file, `add -A` through
// it (GIT_INDEX_FILE) and its tree (written in-process from the index's cache tree when it can be,
// index-tree.ts, else `write-tree`), and `commit-tree` with the fixed Overseer identity.
//
// Speed: the private index is kept between snapshots of a goal (after its first snapshot it holds
// nothing but what the last snapshot saw), so `add -A` re-hashes only the files whose stat data
// changed. The first snapshot of a goal starts from a copy of the working tree's own index when
// that index is a plain one and most of its entries are not racy (index-seed.ts says when, and
// why the snapshot is the same), so it does not hash every file either. Measured on 50k files: fresh empty index 0.32 s, fresh index
// seeded with `read-tree HEAD` 0.48 s (the seeded entries carry no stat data, so every file is
// hashed anyway), kept index 0.06 s. bench/checkpoint prints the same comparison.
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GoalId } from '../../shared/domain/goal.js';
import type { ObjectFormat } from './loose-object.js';
import { WorkspaceError } from './errors.js';
import { GitCommandError, asWorkspaceError, type GitCall, type GitRunner, type PreparedGitCall } from './git.js';
import { seedPrivateIndex } from './index-seed.js';
import { writeIndexTree } from './index-tree.js';
import { checksumOf, forgetIndex, indexChecksum, rememberTree, rememberedTree } from './index-tree-cache.js';
import { SNAPSHOT_IDENTITY_ENV, checkedRevision, parseObjectId } from './refs.js';
import { pathExists } from './path-exists.js';
import { readSharedRepository } from './shared-repository.js';

export interface RepoContext {
  /** Top of the working tree the path is in. */
  top: string;
  /** This working tree's git dir (`.git`, or `.git/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** The repository's shared git dir (refs, objects). */
  commonDir: string;
  /** The path relative to `top` ('' or ending in '/'). */
  prefix: string;
  /** How the repository names objects. */
  objectFormat: ObjectFormat;
  /**
   * Whether the repository is shared by a group (core.sharedRepository): git then writes every
   * object, tree, commit and ref of a checkpoint itself (shared-repository.ts).
   */
  sharedRepository: boolean;
}

const NOT_A_REPOSITORY = /not a git repository/i;

/** Where `path`'s repository is. Throws not_a_repository / bare_repository. */
export async function resolveRepo(git: GitRunner, path: string): Promise<RepoContext> {
  // One git process in the usual case (a path inside a working tree), spawned directly (a goal's
  // first checkpoint waits for it), beside the one that reads core.sharedRepository; the two-step
  // inspection below only runs when this fails, to say why (--show-toplevel fails outside a
  // working tree).
  const sharedRepository = readSharedRepository(git, path);
  try {
    const output = await git.run({
      cwd: path,
      direct: true,
      args: [
        'rev-parse',
        '--path-format=absolute',
        '--is-bare-repository',
        '--is-inside-work-tree',
        '--git-common-dir',
        '--absolute-git-dir',
        '--show-object-format',
        '--show-toplevel',
        '--show-prefix',
      ],
    });
    const [bare, insideWorkTree, commonDir, gitDir, format, top, prefix] = output.split('\n');
    if (
      bare === 'false' &&
      insideWorkTree === 'true' &&
      commonDir !== undefined &&
      gitDir !== undefined &&
      top !== undefined &&
      top !== ''
    ) {
      return {
        top: resolve(top),
        gitDir: resolve(gitDir),
        commonDir: resolve(path, commonDir),
        prefix: prefix ?? '',
        objectFormat: objectFormatOf(format),
        sharedRepository: await sharedRepository,
      };
    }
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw asWorkspaceError(error, `inspecting ${path}`);
  }
  return inspectRepo(git, path, await sharedRepository);
}

function objectFormatOf(printed: string | undefined): ObjectFormat {
  if (printed === 'sha1' || printed === 'sha256') return printed;
  throw new WorkspaceError('git_failed', `unknown object format ${JSON.stringify(printed)}`);
}

/** resolveRepo step by step, with the error that says what the path is when it is not a working tree. */
async function inspectRepo(git: GitRunner, path: string, sharedRepository: boolean): Promise<RepoContext> {
  let output: string;
  try {
    output = await git.run({
      cwd: path,
      args: [
        'rev-parse',
        '--path-format=absolute',
        '--is-bare-repository',
        '--is-inside-work-tree',
        '--git-common-dir',
        '--absolute-git-dir',
        '--show-object-format',
      ],
    });
  } catch (error) {
    if (error instanceof GitCommandError && NOT_A_REPOSITORY.test(error.stderr)) {
      throw new WorkspaceError('not_a_repository', `${path} is not inside a git repository`, { cause: error });
    }
    throw asWorkspaceError(error, `inspecting ${path}`);
  }
  const [bare, insideWorkTree, commonDir, gitDir, format] = output.split('\n');
  if (bare === 'true')
    throw new WorkspaceError('bare_repository', `${path} is a bare repository: it has no working tree`);
  if (insideWorkTree !== 'true' || commonDir === undefined || gitDir === undefined) {
    throw new WorkspaceError('not_a_repository', `${path} is not inside a git working tree (is it a .git folder?)`);
  }
  const where = await git.run({ cwd: path, args: ['rev-parse', '--show-toplevel', '--show-prefix'] });
  const [top, prefix] = where.split('\n');
  if (top === undefined || top === '') throw new WorkspaceError('git_failed', `git did not report the top of ${path}`);
  return {
    top: resolve(top),
    gitDir: resolve(gitDir),
    commonDir: resolve(path, commonDir),
    prefix: prefix ?? '',
    objectFormat: objectFormatOf(format),
    sharedRepository,
  };
}

/** Overseer's own index file for a goal's snapshots, inside the working tree's git dir. */
export function privateIndexPath(context: RepoContext, goalId: GoalId): string {
  return join(context.gitDir, 'overseer', `${goalId}.index`);
}

/**
 * `add -A` from the top through the private index: every non-ignored file, new untracked ones
 * included; deletions recorded. Spawned directly (no simple-git): this runs twice per turn (git.ts
 * `direct`). The one definition of the call, for snapshots and for an add prepared ahead
 * (prepared-add.ts).
 */
export function addAllCall(top: string, indexFile: string): GitCall & { direct: true } {
  return { cwd: top, args: ['add', '--all'], env: { GIT_INDEX_FILE: indexFile }, direct: true };
}

async function addAllAndWriteTree(
  git: GitRunner,
  context: RepoContext,
  indexFile: string,
  beside: SnapshotReaders,
  seeded: boolean,
  preparedAdd: PreparedGitCall | undefined,
): Promise<string> {
  const env = { GIT_INDEX_FILE: indexFile };
  // Its process is started by the call itself (or was prepared before, and starts now), so
  // `whileAdding` runs while git works.
  const adding = preparedAdd === undefined ? git.run(addAllCall(context.top, indexFile)) : preparedAdd.result;
  preparedAdd?.start();
  beside.whileAdding?.(indexFile);
  await adding;
  if (seeded) await dropIgnoredEntries(git, context.top, env);
  beside.afterAdd?.(indexFile);
  // Read at once: a few milliseconds for 50k entries, where an asynchronous read of the same
  // bytes waits for the thread pool once per 512 KiB (slow on a busy machine).
  const index = readIndexFile(indexFile);
  // `add -A` changed nothing: the index still holds the tree written last (index-tree-cache.ts).
  const checksum = index === null ? null : checksumOf(index, context.objectFormat);
  const known = rememberedTree(indexFile, checksum);
  if (known !== null) return known;
  // The folders `add -A` touched, computed in-process from the index's cache tree (index-tree.ts);
  // git's own write-tree when that cannot be done (it fills the cache tree for the next time).
  // Measured (bench/checkpoint, quiet): at 1k and 10k files the in-process tree saves a process; at
  // 50k it is as fast as write-tree for a turn's checkpoint and faster for the first one and for an
  // unchanged tree (docs/architecture.md). It reads the pack indexes, so a packed repository's trees
  // are found where they are (packed-object.ts).
  // Not in a shared repository: git gives the trees it writes there the group's permissions.
  const written =
    index === null || context.sharedRepository
      ? null
      : await writeIndexTree(index, context.commonDir, context.objectFormat);
  if (written !== null) {
    rememberTree(indexFile, checksum, written);
    return written;
  }
  const tree = parseObjectId(
    await git.run({ cwd: context.top, args: ['write-tree'], env, direct: true }),
    'write-tree',
  );
  rememberTree(indexFile, await indexChecksum(indexFile, context.objectFormat), tree);
  return tree;
}

function readIndexFile(indexFile: string): Buffer | null {
  try {
    return readFileSync(indexFile);
  } catch {
    return null;
  }
}

/** Readers of a snapshot's private index, called by snapshotTree (both at most once per attempt). */
export interface SnapshotReaders {
  /**
   * Called once `add -A` has been started, while git works (the index is not written yet): to
   * prepare a process that will read the index (GitRunner.prepare).
   */
  whileAdding?: (indexFile: string) => void;
  /**
   * Called when the private index holds the snapshot (before its tree is written), for readers of
   * the index that can run beside write-tree. They must be done before the index is written again.
   */
  afterAdd?: (indexFile: string) => void;
}

/**
 * Hashes the whole working tree (ignored files excluded) into a tree object and returns its id.
 * If the private index is unusable (left locked by a killed process, corrupt), it is thrown away
 * and the snapshot is retried once from an empty index.
 */
export async function snapshotTree(
  git: GitRunner,
  context: RepoContext,
  goalId: GoalId,
  options: SnapshotReaders = {},
  /** This snapshot's `add -A` (addAllCall), prepared ahead; taken by the first attempt only. */
  preparedAdd?: PreparedGitCall,
): Promise<string> {
  try {
    return await snapshotAttempts(git, context, goalId, options, preparedAdd);
  } finally {
    preparedAdd?.cancel(); // not taken (a failure before `add -A`): never run; nothing once started
  }
}

async function snapshotAttempts(
  git: GitRunner,
  context: RepoContext,
  goalId: GoalId,
  options: SnapshotReaders,
  preparedAdd: PreparedGitCall | undefined,
): Promise<string> {
  const indexFile = privateIndexPath(context, goalId);
  await mkdir(join(context.gitDir, 'overseer'), { recursive: true });
  try {
    // A goal's first snapshot starts from a copy of the working tree's own index (index-seed.ts).
    const seeded =
      !(await pathExists(indexFile)) &&
      (await seedPrivateIndex(join(context.gitDir, 'index'), indexFile, context.objectFormat)).seeded;
    return await addAllAndWriteTree(git, context, indexFile, options, seeded, preparedAdd);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    forgetIndex(indexFile);
    await rm(indexFile, { force: true });
    await rm(`${indexFile}.lock`, { force: true });
    try {
      return await addAllAndWriteTree(git, context, indexFile, options, false, undefined);
    } catch (retryError) {
      throw asWorkspaceError(retryError, 'snapshot of the working tree');
    }
  }
}

/**
 * Removes from a seeded private index the tracked files that match an ignore rule: an index that
 * started empty never holds them (`add -A` adds no ignored file), so neither does a seeded one.
 */
async function dropIgnoredEntries(git: GitRunner, top: string, env: { GIT_INDEX_FILE: string }): Promise<void> {
  const listed = await git.run({
    cwd: top,
    args: ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'],
    env,
    direct: true,
  });
  if (listed === '') return;
  await git.run({
    cwd: top,
    args: [
      '--literal-pathspecs',
      'rm',
      '--cached',
      '--force',
      '--quiet',
      '--ignore-unmatch',
      '--pathspec-from-file=-',
      '--pathspec-file-nul',
    ],
    input: listed,
    env,
    direct: true,
  });
}

/** Removes the goal's private index (and a stale lock). */
export async function removePrivateIndex(context: RepoContext, goalId: GoalId): Promise<void> {
  const indexFile = privateIndexPath(context, goalId);
  forgetIndex(indexFile);
  await rm(indexFile, { force: true });
  await rm(`${indexFile}.lock`, { force: true });
}

/** A commit of `tree` with the fixed Overseer identity; never signed, no hooks run. */
export async function commitSnapshot(
  git: GitRunner,
  cwd: string,
  tree: string,
  parent: string | null,
  message: string,
): Promise<string> {
  const args = ['commit-tree', '--no-gpg-sign', tree];
  if (parent !== null) args.push('-p', parent);
  args.push('-m', message);
  try {
    return parseObjectId(await git.run({ cwd, args, env: SNAPSHOT_IDENTITY_ENV }), 'commit-tree');
  } catch (error) {
    throw asWorkspaceError(error, 'writing a snapshot commit');
  }
}

/** The tree of a commit (or a tree id given as is). Throws invalid_revision when unknown. */
export async function treeOf(git: GitRunner, cwd: string, revision: string): Promise<string> {
  const checked = checkedRevision(revision, 'revision');
  try {
    return parseObjectId(
      await git.run({ cwd, args: ['rev-parse', '--verify', '--end-of-options', `${checked}^{tree}`] }),
      'rev-parse',
    );
  } catch (error) {
    if (error instanceof GitCommandError) {
      throw new WorkspaceError('invalid_revision', `${revision} is not a commit or tree of this repository`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** The commit a revision names. Throws invalid_revision when unknown or not a commit. */
export async function commitOf(git: GitRunner, cwd: string, revision: string): Promise<string> {
  const checked = checkedRevision(revision, 'revision');
  try {
    return parseObjectId(
      await git.run({ cwd, args: ['rev-parse', '--verify', '--end-of-options', `${checked}^{commit}`] }),
      'rev-parse',
    );
  } catch (error) {
    if (error instanceof GitCommandError) {
      throw new WorkspaceError('invalid_revision', `${revision} is not a commit of this repository`, { cause: error });
    }
    throw error;
  }
}
