// Deleting a goal's workspace: its worktree folder, its branch (kept when it carries commits that
// are not Overseer's, or when asked), its private refs refs/overseer/<goal id>/* and private index.
// Steps run in that order so a failure leaves a state a second call can finish. The result says
// what was removed and what was left where.
import { rm } from 'node:fs/promises';
import type { GoalId } from '../../shared/domain/goal.js';
import type { Workspace } from '../driver/index.js';
import { asWorkspaceError, describe, type GitRunner } from './git.js';
import { findWorktree, worktreeTarget } from './ensure.js';
import { SNAPSHOT_AUTHOR, branchName, goalRefPrefix, readRef, readRefs, updateRefs } from './refs.js';
import { removePrivateIndex, resolveRepo } from './snapshot.js';
import { pathExists } from './path-exists.js';

export interface DeleteWorkspaceOptions {
  /** Keep the branch even when it has no commits of the user's. */
  keepBranch?: boolean;
}

export interface DeleteWorkspaceResult {
  /** The worktree folder, and whether it was removed (null: not a worktree workspace). */
  worktree: { path: string; removed: boolean } | null;
  /** The goal's branch: deleted or kept, and why (null: the workspace had no branch of its own). */
  branch: { name: string; deleted: boolean; userCommits: number; reason: string } | null;
  /** How many refs/overseer/<goal id>/* refs were deleted. */
  refsDeleted: number;
  /** One line per thing, for the operator: e.g. "branch overseer/abcd1234 kept: 2 commits". */
  summary: string[];
}

/** Commits on `branch` beyond `base` that Overseer did not make. */
async function userCommitCount(git: GitRunner, cwd: string, base: string | null, branchRef: string): Promise<number> {
  const range = base === null ? [branchRef] : [`${base}..${branchRef}`];
  const output = await git.run({ cwd, args: ['log', '--format=%ae', ...range, '--'] });
  return output.split('\n').filter((email) => email !== '' && email !== SNAPSHOT_AUTHOR.email).length;
}

async function deleteBranch(
  git: GitRunner,
  cwd: string,
  ws: Workspace,
  keepBranch: boolean,
): Promise<DeleteWorkspaceResult['branch']> {
  const name = branchName(ws.goalId);
  const branchRef = `refs/heads/${name}`;
  if ((await readRef(git, cwd, branchRef)) === null) return null;
  const userCommits = await userCommitCount(git, cwd, ws.baseCommit, branchRef);
  const plural = userCommits === 1 ? 'commit' : 'commits';
  if (userCommits > 0) return { name, deleted: false, userCommits, reason: `kept: ${userCommits} ${plural}` };
  if (keepBranch) return { name, deleted: false, userCommits, reason: 'kept: asked to keep it' };
  try {
    await git.run({ cwd, args: ['branch', '--delete', '--force', name] });
  } catch (error) {
    return { name, deleted: false, userCommits, reason: `kept: ${describe(error)}` };
  }
  return { name, deleted: true, userCommits, reason: 'deleted: no commits of the user' };
}

export async function deleteGoalRefs(git: GitRunner, cwd: string, goalId: GoalId): Promise<number> {
  const refs = await readRefs(git, cwd, goalRefPrefix(goalId));
  await updateRefs(
    git,
    cwd,
    refs.map((entry) => ({ ref: entry.ref, delete: true as const })),
  );
  return refs.length;
}

export async function deleteWorkspace(
  git: GitRunner,
  worktreesDir: string,
  ws: Workspace,
  options: DeleteWorkspaceOptions = {},
): Promise<DeleteWorkspaceResult> {
  if (ws.kind === 'no_git') {
    return { worktree: null, branch: null, refsDeleted: 0, summary: [`no-git workspace: ${ws.path} left as it is`] };
  }
  const summary: string[] = [];
  const repo = await resolveRepo(git, ws.repoPath);
  const cwd = repo.top;
  let worktree: DeleteWorkspaceResult['worktree'] = null;
  let branch: DeleteWorkspaceResult['branch'] = null;
  try {
    if (ws.kind === 'worktree') {
      const target = await worktreeTarget(worktreesDir, ws.goalId);
      if ((await findWorktree(git, cwd, target)) !== null) {
        await git.run({ cwd, args: ['worktree', 'remove', '--force', target] });
      } else if (await pathExists(target)) {
        await rm(target, { recursive: true, force: true }); // our own folder, not a registered worktree
      }
      worktree = { path: target, removed: !(await pathExists(target)) };
      summary.push(worktree.removed ? `worktree ${target} removed` : `worktree ${target} could not be removed`);
      branch = await deleteBranch(git, cwd, ws, options.keepBranch === true);
      if (branch !== null) summary.push(`branch ${branch.name} ${branch.reason}`);
    } else {
      await removePrivateIndex(await resolveRepo(git, ws.path), ws.goalId);
      summary.push(`in-place workspace: ${ws.path} left as it is`);
    }
    const refsDeleted = await deleteGoalRefs(git, cwd, ws.goalId);
    summary.push(`${refsDeleted} refs under ${goalRefPrefix(ws.goalId)} deleted`);
    return { worktree, branch, refsDeleted, summary };
  } catch (error) {
    throw asWorkspaceError(error, `deleting the workspace of goal ${ws.goalId}`);
  }
}
