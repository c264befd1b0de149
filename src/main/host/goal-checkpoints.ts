// A goal's checkpoints from the host side: one turn's diff, the goal's cumulative diff, whole
// patches for `git apply`, and rollback to a turn's checkpoint (refused while a turn runs; Claude's
// session is rewound to before the undone turns). The goal runner owns the workspaces and delegates here.
import type { FilePatch } from '../../shared/domain/views.js';
import type { Goal } from '../../shared/domain/goal.js';
import type { Stores } from '../store/index.js';
import type { GitFilePatch, GitWorkspaceManager } from '../workspace/index.js';
import type { Workspace } from '../driver/index.js';
import { asCommandAsync, HostError } from './command-error.js';
import { planRewind } from './rewind-plan.js';

export interface GoalCheckpointsDeps {
  stores: Stores;
  workspaces: GitWorkspaceManager;
  /** The goal's workspace, reopened if needed. */
  workspaceOf(goalId: string): Promise<{ goal: Goal; ws: Workspace }>;
  isTurnRunning(goalId: string): boolean;
}

function toFilePatch(file: GitFilePatch): FilePatch {
  return {
    path: file.path,
    oldPath: file.oldPath,
    patch: file.patch,
    truncated: file.truncated,
    originalBytes: file.originalBytes,
    binary: file.binary,
  };
}

export class GoalCheckpoints {
  constructor(private readonly deps: GoalCheckpointsDeps) {}

  checkpointsOf(goalId: string, turnIndex: number): { pre: string; post: string | null } {
    const attempts = this.deps.stores.turns.turnsForGoal(goalId).filter((turn) => turn.turnIndex === turnIndex);
    const first = attempts.find((turn) => turn.preCheckpoint !== null);
    const last = [...attempts].reverse().find((turn) => turn.postCheckpoint !== null);
    if (first?.preCheckpoint == null)
      throw new HostError('not_found', `turn ${turnIndex} of goal ${goalId} has no checkpoint`);
    return { pre: first.preCheckpoint.sha, post: last?.postCheckpoint?.sha ?? null };
  }

  async turnDiff(goalId: string, turnIndex: number) {
    const { pre, post } = this.checkpointsOf(goalId, turnIndex);
    if (post === null) throw new HostError('failed_precondition', `turn ${turnIndex} has not finished: no diff yet`);
    const { ws } = await this.deps.workspaceOf(goalId);
    const [stat, patch] = await asCommandAsync(() =>
      Promise.all([this.deps.workspaces.diffStat(ws, pre, post), this.deps.workspaces.turnPatch(ws, pre, post)]),
    );
    return { stat, files: patch.files.map(toFilePatch) };
  }

  async cumulativeDiff(goalId: string) {
    const { ws } = await this.deps.workspaceOf(goalId);
    const diff = await asCommandAsync(() => this.deps.workspaces.cumulativeDiff(ws));
    const patch = await asCommandAsync(() => this.deps.workspaces.turnPatch(ws, diff.baseCommit, diff.tree));
    return { stat: diff.stat, files: patch.files.map(toFilePatch) };
  }

  /** One turn's change (turnIndex) or the goal's whole change so far (null) as one uncut patch for `git apply`. */
  async fullPatch(goalId: string, turnIndex: number | null) {
    const { ws } = await this.deps.workspaceOf(goalId);
    const manager = this.deps.workspaces;
    if (turnIndex !== null) {
      const { pre, post } = this.checkpointsOf(goalId, turnIndex);
      if (post === null)
        throw new HostError('failed_precondition', `turn ${turnIndex + 1} has not finished: no diff yet`);
      const [stat, patch] = await asCommandAsync(() =>
        Promise.all([manager.diffStat(ws, pre, post), manager.fullPatch(ws, pre, post)]),
      );
      return { stat, patch, from: pre, to: post };
    }
    const diff = await asCommandAsync(() => manager.cumulativeDiff(ws));
    const patch = await asCommandAsync(() => manager.fullPatch(ws, diff.baseCommit, diff.tree));
    return { stat: diff.stat, patch, from: diff.baseCommit, to: diff.tree };
  }

  /** Restores the tree to a turn's checkpoint; refused while a turn runs. Recorded as an event. */
  async rollback(goalId: string, turnIndex: number, phase: 'pre' | 'post'): Promise<string> {
    if (this.deps.isTurnRunning(goalId))
      throw new HostError(
        'failed_precondition',
        'a turn is running: pause the goal and wait for the turn to end, then roll back',
      );
    const { pre, post } = this.checkpointsOf(goalId, turnIndex);
    const sha = phase === 'pre' ? pre : post;
    if (sha === null) throw new HostError('failed_precondition', `turn ${turnIndex} has no ${phase} checkpoint`);
    const { ws } = await this.deps.workspaceOf(goalId);
    await asCommandAsync(() => this.deps.workspaces.rollback(ws, sha));
    this.deps.stores.events.appendDurable({ kind: 'rollback', goalId, turnIndex, phase, sha });
    // Claude forgets the undone turns too: the next turn resumes the conversation before them.
    const { stores } = this.deps;
    const lastTurn = Math.max(turnIndex, ...stores.turns.turnsForGoal(goalId).map((turn) => turn.turnIndex));
    const keptTurns = phase === 'pre' ? turnIndex : turnIndex + 1;
    if (keptTurns <= lastTurn) stores.sessionRewinds.set(planRewind(stores, goalId, keptTurns, lastTurn));
    return sha;
  }
}
