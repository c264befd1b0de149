// Rollback: make the working tree hash to a snapshot's tree exactly, through the goal's private
// index only. First the current tree is snapshotted (so the private index matches the working tree
// file for file), then `read-tree --reset -u <target>` moves that index to the target and updates
// the files that differ: files the target lacks are removed (emptied folders too), missing ones come
// back, changed ones are rewritten. Ignored files are in neither tree, so they stay; the user's
// index, HEAD and branches are not involved. Finally the tree is snapshotted again and must equal
// the target (rollback_mismatch otherwise).
import type { DiffStat, GoalId } from '../../shared/domain/goal.js';
import { WorkspaceError } from './errors.js';
import { asWorkspaceError, type GitRunner } from './git.js';
import { diffFiles, totals } from './diff-stat.js';
import { privateIndexPath, snapshotTree, type RepoContext } from './snapshot.js';

export interface RollbackResult {
  /** Tree of the working tree just before the rollback (not kept by any ref). */
  previousTree: string;
  /** Tree of the working tree after the rollback: equals the target's. */
  tree: string;
  /** What the rollback changed (previous tree → target tree). */
  changes: DiffStat;
}

export async function restoreTree(
  git: GitRunner,
  context: RepoContext,
  goalId: GoalId,
  targetTree: string,
): Promise<RollbackResult> {
  const previousTree = await snapshotTree(git, context, goalId);
  if (previousTree === targetTree) return { previousTree, tree: targetTree, changes: totals([]) };
  const changes = totals(await diffFiles(git, context.top, previousTree, targetTree));
  try {
    await git.run({
      cwd: context.top,
      // Sparse-checkout patterns of the user's worktree must not make us skip files.
      config: ['core.sparseCheckout=false'],
      args: ['read-tree', '--reset', '-u', targetTree],
      env: { GIT_INDEX_FILE: privateIndexPath(context, goalId) },
    });
  } catch (error) {
    throw asWorkspaceError(error, `restoring tree ${targetTree}`);
  }
  const tree = await snapshotTree(git, context, goalId);
  if (tree !== targetTree) {
    const left = await diffFiles(git, context.top, targetTree, tree);
    const names = left.slice(0, 10).map((file) => `${file.status} ${file.path}`);
    throw new WorkspaceError(
      'rollback_mismatch',
      `after the rollback the working tree is ${tree}, not ${targetTree}; differing: ${names.join(', ')}${left.length > 10 ? ', ...' : ''}`,
    );
  }
  return { previousTree, tree, changes };
}
