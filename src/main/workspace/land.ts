// Landing a goal's work: commit the final snapshot on the goal's branch (squashed, or one commit
// per turn from the checkpoints), merge it into the base branch (fast-forward where possible, a
// squash or merge commit otherwise), and for in-place goals a commit of exactly the goal's files on
// the current branch. The user's working tree is only ever advanced by git's own two-tree
// `read-tree -m -u`, and only after checking that none of the user's uncommitted files would be
// touched: a refusal names those files and changes nothing (no stash, no overwrite).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workspace } from '../driver/index.js';
import { describeConflict, listConflicts } from '../../shared/domain/landing.js';
import { WorkspaceError } from './errors.js';
import { GitCommandError, type GitRunner } from './git.js';
import {
  advanceTree,
  branchTip,
  changedPaths,
  checkedOutBranch,
  commitAsUser,
  findWorktreeOfBranch,
  isAncestor,
  moveBranch,
  resetIndex,
  treeOfCommit,
  uncommittedPaths,
} from './land-git.js';
import { mergeTreesWithConflicts } from './land-conflicts.js';
import { literalPathspec } from './patch.js';
import { parseObjectId, readCheckpoints } from './refs.js';
import { resolveRepo, snapshotTree, type RepoContext } from './snapshot.js';

/** A landing step that cannot be done safely; `files` names what is in the way. */
export class LandRefusal extends Error {
  constructor(
    readonly reason: 'overlap' | 'conflict' | 'not_a_worktree' | 'no_base_branch' | 'detached' | 'pr_unavailable',
    message: string,
    readonly files: string[] = [],
    /** What is wrong with each of `files`, where more can be said than `reason`. */
    readonly fileNotes: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'LandRefusal';
  }
}

export interface CommitResult {
  branch: string;
  /** The branch tip after the call. */
  commit: string;
  /** How many commits were written (0: the snapshot was already committed). */
  created: number;
}

export interface MergeResult {
  into: string;
  commit: string;
  fastForward: boolean;
  /** Where `into` is checked out, when its files were advanced. */
  updatedTree: string | null;
}

/** The goal's worktree and the branch checked out in it. */
export async function goalBranch(
  git: GitRunner,
  ws: Workspace,
): Promise<{ context: RepoContext; branch: string; tip: string }> {
  if (ws.kind !== 'worktree')
    throw new LandRefusal('not_a_worktree', 'this goal works in place: it has no branch of its own');
  const context = await resolveRepo(git, ws.path);
  const branch = await checkedOutBranch(git, context.top);
  if (branch === null)
    throw new LandRefusal('detached', `the goal's worktree ${context.top} has no branch checked out (detached HEAD)`);
  const tip = await branchTip(git, context.top, branch);
  if (tip === null) throw new WorkspaceError('git_failed', `branch ${branch} has no commit`);
  return { context, branch, tip };
}

/** Files whose content in the working tree differs from the goal branch's tip (not committed anywhere). */
export async function uncommittedFileCount(git: GitRunner, ws: Workspace): Promise<number> {
  const { context, tip } = await goalBranch(git, ws);
  const snapshot = await snapshotTree(git, context, ws.goalId);
  return (await changedPaths(git, context.top, tip, snapshot)).length;
}

/**
 * Commits the worktree's final snapshot on the goal's branch. `perTurn`: when the branch still sits
 * at the goal's base, one commit per turn (from the post-turn checkpoints) before the final one.
 * Ignored files (node_modules, build output) are never committed.
 */
export async function commitOnBranch(
  git: GitRunner,
  ws: Workspace,
  options: { message: string; perTurn?: boolean; turnSubject?: (turnIndex: number) => string },
): Promise<CommitResult> {
  const { context, branch, tip } = await goalBranch(git, ws);
  const cwd = context.top;
  const snapshot = await snapshotTree(git, context, ws.goalId);
  const tipTree = await treeOfCommit(git, cwd, tip);
  if (snapshot === tipTree) return { branch, commit: tip, created: 0 };
  let head = tip;
  let headTree = tipTree;
  let created = 0;
  if (options.perTurn === true && tip === ws.baseCommit) {
    const posts = (await readCheckpoints(git, context.top, ws.goalId)).filter(
      (checkpoint) => checkpoint.phase === 'post',
    );
    for (const checkpoint of posts) {
      const tree = await treeOfCommit(git, cwd, checkpoint.sha);
      if (tree === headTree || tree === snapshot) continue;
      const subject = options.turnSubject?.(checkpoint.turnIndex) ?? `Turn ${checkpoint.turnIndex + 1}`;
      head = await commitAsUser(git, cwd, tree, [head], subject);
      headTree = tree;
      created += 1;
    }
  }
  head = await commitAsUser(git, cwd, snapshot, [head], options.message);
  created += 1;
  await moveBranch(git, cwd, branch, head, tip, 'overseer: land (commit)');
  // The files already are the snapshot; only the index follows the new tip.
  await resetIndex(git, cwd, head);
  return { branch, commit: head, created };
}

/**
 * Merges the goal's committed branch into `into`. Squash (default): one commit on `into` with the
 * goal's whole change and the given message (a fast-forward when the branch is exactly one commit
 * on top of it with that message; a commit Claude made, say, gets the message instead). Keep
 * commits: a fast-forward, or a merge commit when `into` moved. Refused, changing nothing, when the
 * two sides conflict (rebase first) or when `into` is checked out with uncommitted changes in any
 * file the merge would touch.
 */
export async function mergeIntoBase(
  git: GitRunner,
  ws: Workspace,
  options: { into: string; squash: boolean; message: string },
): Promise<MergeResult> {
  const { context, branch, tip } = await goalBranch(git, ws);
  const cwd = context.top;
  const baseTip = await branchTip(git, cwd, options.into);
  if (baseTip === null) throw new LandRefusal('no_base_branch', `there is no branch ${options.into} to merge into`);
  if (baseTip === tip || (await isAncestor(git, cwd, tip, baseTip))) {
    return { into: options.into, commit: baseTip, fastForward: true, updatedTree: null };
  }
  const onTop = await isAncestor(git, cwd, baseTip, tip);
  let target: string;
  let fastForward = false;
  if (
    onTop &&
    (!options.squash ||
      ((await parentOf(git, cwd, tip)) === baseTip && (await messageOf(git, cwd, tip)) === options.message.trim()))
  ) {
    target = tip;
    fastForward = true;
  } else {
    let tree: string;
    if (onTop) {
      tree = await treeOfCommit(git, cwd, tip);
    } else {
      const merged = await mergeTreesWithConflicts(git, cwd, baseTip, tip);
      if ('conflicts' in merged) {
        throw new LandRefusal(
          'conflict',
          `${options.into} moved since the goal started and the changes conflict in ${listConflicts(merged.conflicts, options.into)}: rebase onto ${options.into} first`,
          merged.conflicts.map((conflict) => conflict.path),
          Object.fromEntries(
            merged.conflicts.map((conflict) => [conflict.path, describeConflict(conflict.kind, options.into)]),
          ),
        );
      }
      tree = merged.tree;
    }
    target = options.squash
      ? await commitAsUser(git, cwd, tree, [baseTip], options.message)
      : await commitAsUser(
          git,
          cwd,
          tree,
          [baseTip, tip],
          `Merge branch '${branch}' into ${options.into}\n\n${options.message}`,
        );
  }
  const checkedOutAt = await findWorktreeOfBranch(git, cwd, options.into);
  if (checkedOutAt !== null) {
    const touched = new Set(await changedPaths(git, cwd, baseTip, target));
    const dirty = (await uncommittedPaths(git, checkedOutAt)).filter((path) => touched.has(path));
    if (dirty.length > 0) {
      throw new LandRefusal(
        'overlap',
        `${options.into} is checked out in ${checkedOutAt} with uncommitted changes to ${dirty.join(', ')}, which this merge changes: commit or put those changes aside, then merge again (nothing was changed)`,
        dirty,
      );
    }
    try {
      await advanceTree(git, checkedOutAt, baseTip, target);
    } catch (error) {
      if (error instanceof GitCommandError) {
        throw new LandRefusal(
          'overlap',
          `git refused to update ${checkedOutAt} (nothing was changed): ${error.stderr.trim()}`,
        );
      }
      throw error;
    }
  }
  await moveBranch(git, cwd, options.into, target, baseTip, `overseer: land goal ${ws.goalId}`);
  if (options.squash && target !== tip) {
    // The goal's branch follows the landed commit, so its worktree shows nothing left to land.
    await advanceTree(git, cwd, tip, target);
    await moveBranch(git, cwd, branch, target, tip, 'overseer: land (squash merged)');
  }
  return { into: options.into, commit: target, fastForward, updatedTree: checkedOutAt };
}

/** A commit's whole message, trimmed. */
async function messageOf(git: GitRunner, cwd: string, commit: string): Promise<string> {
  return (await git.run({ cwd, args: ['log', '-1', '--format=%B', commit] })).trim();
}

async function parentOf(git: GitRunner, cwd: string, commit: string): Promise<string | null> {
  try {
    return parseObjectId(await git.run({ cwd, args: ['rev-parse', '--verify', `${commit}^1`] }), 'rev-parse parent');
  } catch (error) {
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

/**
 * In-place goals: one commit on the current branch of exactly the files the goal changed (from its
 * base to the working tree now), built in a scratch index; the user's index then takes those files
 * from the new commit and keeps everything else it had staged.
 */
export async function commitInPlace(
  git: GitRunner,
  ws: Workspace,
  message: string,
): Promise<{ branch: string; commit: string; files: string[] }> {
  if (ws.kind !== 'in_place' || ws.baseCommit === null)
    throw new LandRefusal('not_a_worktree', 'only an in-place goal commits on the current branch');
  const context = await resolveRepo(git, ws.path);
  const cwd = context.top;
  const branch = await checkedOutBranch(git, cwd);
  if (branch === null)
    throw new LandRefusal('detached', `${cwd} is on a detached HEAD: check out a branch to commit on`);
  const head = await branchTip(git, cwd, branch);
  if (head === null) throw new WorkspaceError('git_failed', `branch ${branch} has no commit`);
  const snapshot = await snapshotTree(git, context, ws.goalId);
  const files = await changedPaths(git, cwd, ws.baseCommit, snapshot);
  if (files.length === 0) return { branch, commit: head, files };
  const scratch = join(context.gitDir, 'overseer', `${ws.goalId}.land.index`);
  const env = { GIT_INDEX_FILE: scratch };
  try {
    await git.run({ cwd, args: ['read-tree', head], env });
    await git.run({ cwd, args: ['add', '--all', '--', ...files.map(literalPathspec)], env });
    const tree = parseObjectId(await git.run({ cwd, args: ['write-tree'], env }), 'write-tree');
    const commit = await commitAsUser(git, cwd, tree, [head], message);
    await moveBranch(git, cwd, branch, commit, head, 'overseer: commit goal changes');
    await git.run({ cwd, args: ['reset', '-q', commit, '--', ...files.map(literalPathspec)] });
    return { branch, commit, files };
  } finally {
    await rm(scratch, { force: true });
  }
}
