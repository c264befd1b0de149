// Landing a goal from the host side: the Land panel's preview, and each step (commit, merge,
// rebase, pull request, clean up) run through the workspace manager's git runner for the goal,
// refused while the goal runs, recorded as a `goal_landed` event. Refusals become command errors
// whose message names what is in the way.
import type { Workspace } from '../driver/index.js';
import type { FileConflict, Landing } from '../../shared/domain/landing.js';
import type { LandPreview } from '../../shared/commands/land.js';
import type { Stores } from '../store/index.js';
import {
  type GitWorkspaceManager,
  branchTip,
  checkedOutBranch,
  isAncestor,
  commitInPlace,
  commitOnBranch,
  mergeIntoBase,
  uncommittedFileCount,
  rebaseOntoBase,
  prReadiness,
  pushAndOpenPullRequest,
  changedPaths,
  resolveRepo,
  snapshotTree,
} from '../workspace/index.js';
import { asCommandAsync, HostError } from './command-error.js';
import type { GoalRunner } from './goal-runner.js';
import { conflictNote, draftCommitMessage } from './land-message.js';

export class LandService {
  constructor(
    private readonly stores: Stores,
    private readonly runner: GoalRunner,
    private readonly workspaces: GitWorkspaceManager,
  ) {}

  private draft(goalId: string): string {
    const record = this.stores.goals.get(goalId);
    if (record === null) throw new HostError('not_found', `no goal ${goalId}`);
    return draftCommitMessage(record.goal, record.status, this.stores.turns.turnsForGoal(goalId));
  }

  private async workspace(goalId: string, forWrite: boolean): Promise<Workspace> {
    if (forWrite && this.runner.isRunning(goalId))
      throw new HostError('failed_precondition', 'the goal is running: wait for it to end (or cancel it), then land');
    const { ws } = await this.runner.workspaceOf(goalId);
    return ws;
  }

  private async git<T>(
    ws: Workspace,
    task: Parameters<GitWorkspaceManager['forGoal']>[1] extends (git: infer G) => Promise<unknown>
      ? (git: G) => Promise<T>
      : never,
  ): Promise<T> {
    return asCommandAsync(() => this.workspaces.forGoal(ws.goalId, task));
  }

  private record(goalId: string, landing: Landing): Landing {
    this.stores.events.appendDurable({ kind: 'goal_landed', goalId, landing });
    return landing;
  }

  private async baseBranch(ws: Workspace, into: string | undefined): Promise<string> {
    if (into !== undefined) return into;
    const branch = await this.git(ws, (git) => checkedOutBranch(git, ws.repoPath));
    if (branch === null)
      throw new HostError('failed_precondition', `${ws.repoPath} is on a detached HEAD: say which branch to land into`);
    return branch;
  }

  async preview(goalId: string): Promise<LandPreview> {
    const record = this.stores.goals.get(goalId);
    if (record === null) throw new HostError('not_found', `no goal ${goalId}`);
    const running = this.runner.isRunning(goalId);
    const landed = this.stores.landings.last(goalId);
    const none = (reason: string): LandPreview => ({
      kind: 'none',
      reason,
      workspacePath: null,
      branch: null,
      baseBranch: null,
      baseMoved: false,
      uncommittedFiles: 0,
      draftMessage: '',
      prMissing: null,
      running,
      landed,
    });
    const info = this.runner.workspaceInfo(record.goal);
    if (record.status === 'pending') return none('the goal has not started');
    if (info === null)
      return none(
        landed?.landing.action === 'cleanup'
          ? 'cleaned up: the worktree and branch were removed'
          : 'the goal has no workspace left',
      );
    if (info.kind === 'no_git') return none('the goal runs without git');
    let ws: Workspace;
    try {
      ws = await this.workspace(goalId, false);
    } catch (error) {
      if (error instanceof HostError) return none(error.message);
      throw error;
    }
    const draftMessage = this.draft(goalId);
    return this.git(ws, async (git) => {
      const baseBranch = await checkedOutBranch(git, ws.repoPath);
      if (ws.kind === 'in_place') {
        const context = await resolveRepo(git, ws.path);
        const snapshot = await snapshotTree(git, context, ws.goalId);
        const uncommittedFiles =
          ws.baseCommit === null ? 0 : (await changedPaths(git, context.top, ws.baseCommit, snapshot)).length;
        return {
          kind: 'in_place',
          reason: null,
          workspacePath: ws.path,
          branch: baseBranch,
          baseBranch,
          baseMoved: false,
          uncommittedFiles,
          draftMessage,
          prMissing: 'in-place goals commit on the current branch',
          running,
          landed,
        };
      }
      const tip = ws.branch === null ? null : await branchTip(git, ws.path, ws.branch);
      const baseTip = baseBranch === null ? null : await branchTip(git, ws.path, baseBranch);
      const baseMoved = tip !== null && baseTip !== null && !(await isAncestor(git, ws.path, baseTip, tip));
      const pr = await prReadiness(git, ws.repoPath);
      return {
        kind: 'worktree',
        reason: null,
        workspacePath: ws.path,
        branch: ws.branch,
        baseBranch,
        baseMoved,
        uncommittedFiles: await uncommittedFileCount(git, ws),
        draftMessage,
        prMissing: pr.missing,
        running,
        landed,
      };
    });
  }

  async commit(goalId: string, message: string, perTurn: boolean): Promise<Landing> {
    const ws = await this.workspace(goalId, true);
    if (ws.kind === 'in_place') {
      const result = await this.git(ws, (git) => commitInPlace(git, ws, message));
      return this.record(goalId, {
        action: 'commit',
        branch: result.branch,
        commit: result.commit,
        into: result.branch,
        fastForward: false,
        url: null,
        message:
          result.files.length === 0
            ? 'nothing to commit: the goal changed no files'
            : `committed ${result.files.length} file(s) on ${result.branch} as ${result.commit.slice(0, 8)}`,
      });
    }
    const result = await this.git(ws, (git) =>
      commitOnBranch(git, ws, {
        message,
        perTurn,
        turnSubject: (turn) => `Turn ${turn + 1}: ${message.split('\n')[0] ?? ''}`,
      }),
    );
    return this.record(goalId, {
      action: 'commit',
      branch: result.branch,
      commit: result.commit,
      into: null,
      fastForward: false,
      url: null,
      message:
        result.created === 0
          ? `nothing new to commit: ${result.branch} is at ${result.commit.slice(0, 8)}`
          : `${result.created} commit(s) on ${result.branch}, now at ${result.commit.slice(0, 8)}`,
    });
  }

  async merge(goalId: string, message: string, squash: boolean, into: string | undefined): Promise<Landing> {
    const ws = await this.workspace(goalId, true);
    if (ws.kind !== 'worktree')
      throw new HostError('failed_precondition', 'an in-place goal is already on its branch: use Commit');
    const target = await this.baseBranch(ws, into);
    const committed = await this.git(ws, (git) =>
      commitOnBranch(git, ws, {
        message,
        perTurn: !squash,
        turnSubject: (turn) => `Turn ${turn + 1}: ${message.split('\n')[0] ?? ''}`,
      }),
    );
    const merged = await this.git(ws, (git) => mergeIntoBase(git, ws, { into: target, squash, message }));
    return this.record(goalId, {
      action: 'merge',
      branch: committed.branch,
      commit: merged.commit,
      into: target,
      fastForward: merged.fastForward,
      url: null,
      message: `${merged.fastForward ? 'fast-forwarded' : squash ? 'squash-merged' : 'merged'} into ${target} at ${merged.commit.slice(0, 8)}${merged.updatedTree === null ? '' : ` (files updated in ${merged.updatedTree})`}`,
    });
  }

  async rebase(
    goalId: string,
    into: string | undefined,
  ): Promise<{
    ok: boolean;
    onto: string;
    conflicts: FileConflict[];
    conflictNote: string | null;
    landing: Landing | null;
  }> {
    const ws = await this.workspace(goalId, true);
    if (ws.kind !== 'worktree')
      throw new HostError(
        'failed_precondition',
        'an in-place goal works on the branch itself: there is nothing to rebase',
      );
    const onto = await this.baseBranch(ws, into);
    const result = await this.git(ws, (git) => rebaseOntoBase(git, ws, { onto }));
    if (!result.ok)
      return {
        ok: false,
        onto,
        conflicts: result.conflicts,
        conflictNote: conflictNote(onto, result.conflicts),
        landing: null,
      };
    this.runner.forgetWorkspace(goalId);
    const landing = this.record(goalId, {
      action: 'rebase',
      branch: ws.branch,
      commit: result.commit,
      into: onto,
      fastForward: false,
      url: null,
      message: result.alreadyUpToDate
        ? `already on top of ${onto}`
        : `rebased onto ${onto} at ${result.ontoCommit.slice(0, 8)}`,
    });
    return { ok: true, onto, conflicts: [], conflictNote: null, landing };
  }

  async pullRequest(goalId: string, title: string, body: string, into: string | undefined): Promise<Landing> {
    const ws = await this.workspace(goalId, true);
    if (ws.kind !== 'worktree') throw new HostError('failed_precondition', 'pull requests are for worktree goals');
    const base = await this.baseBranch(ws, into);
    const ready = await this.git(ws, (git) => prReadiness(git, ws.repoPath));
    if (ready.missing !== null)
      throw new HostError('failed_precondition', `cannot open a pull request: ${ready.missing}`);
    const message = body.trim() === '' ? title : `${title}\n\n${body}`;
    await this.git(ws, (git) => commitOnBranch(git, ws, { message }));
    const pr = await this.git(ws, (git) => pushAndOpenPullRequest(git, ws, { base, title, body }));
    return this.record(goalId, {
      action: 'pr',
      branch: pr.branch,
      commit: null,
      into: base,
      fastForward: false,
      url: pr.url,
      message: `pushed ${pr.branch} to ${pr.remote} and opened ${pr.url}`,
    });
  }

  /** After landing: removes the worktree and the branch; the checkpoint refs stay until the goal is deleted. */
  async cleanup(goalId: string): Promise<string> {
    const ws = await this.workspace(goalId, true);
    if (ws.kind !== 'worktree')
      throw new HostError('failed_precondition', 'only a worktree goal has a worktree and branch to clean up');
    const left = await this.git(ws, (git) => uncommittedFileCount(git, ws));
    if (left > 0)
      throw new HostError(
        'failed_precondition',
        `${left} changed file(s) are not committed anywhere: commit or land them first`,
      );
    const landed = this.stores.landings.last(goalId);
    if (landed === null)
      throw new HostError('failed_precondition', 'the goal has not been landed: land it first (or delete the goal)');
    const summary = await this.git(ws, (git) => removeWorktreeAndBranch(git, ws));
    this.runner.forgetWorkspace(goalId);
    this.record(goalId, {
      action: 'cleanup',
      branch: ws.branch,
      commit: landed.landing.commit,
      into: landed.landing.into,
      fastForward: false,
      url: landed.landing.url,
      message: summary,
    });
    return summary;
  }
}

async function removeWorktreeAndBranch(git: Parameters<typeof checkedOutBranch>[0], ws: Workspace): Promise<string> {
  const context = await resolveRepo(git, ws.repoPath);
  const worktreeTop = (await resolveRepo(git, ws.path)).top;
  const parts: string[] = [];
  await git.run({ cwd: context.top, args: ['worktree', 'remove', '--force', worktreeTop] });
  parts.push(`worktree ${worktreeTop} removed`);
  if (ws.branch !== null) {
    await git.run({ cwd: context.top, args: ['branch', '--delete', '--force', ws.branch] });
    parts.push(`branch ${ws.branch} deleted`);
  }
  parts.push('checkpoints kept until the goal is deleted');
  return parts.join('; ');
}

/** Delete with "keep the branch": the branch gets the worktree's final snapshot as a commit first. */
export async function commitBeforeDelete(
  workspaces: GitWorkspaceManager,
  ws: Workspace,
  description: string,
): Promise<void> {
  const subject = description.split('\n')[0]?.trim() ?? 'Work by Claude';
  await workspaces.forGoal(ws.goalId, (git) =>
    commitOnBranch(git, ws, {
      message: `${subject}\n\nFinal snapshot of goal ${ws.goalId.slice(0, 8)}, kept when the goal was deleted.`,
    }),
  );
}
