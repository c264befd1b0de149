// The goal runner: starts goals on the driver (finding Claude Code first), relays the operator's
// controls, and does what needs a goal's workspace from the host side: per-turn and cumulative
// diffs, rollback (refused while a turn runs), deleting a goal. One GoalDriver per running goal, so
// each start uses the Claude binary found at that moment. `admit` applies the limit of goals running
// at once (admission.ts): over it, goals wait `queued` and start in order as running ones end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Goal, GoalOutcome } from '../../shared/domain/goal.js';
import type { FilePatch, WorkspaceInfo } from '../../shared/domain/views.js';
import type { DataPaths } from '../paths.js';
import { processStartTime, type Stores } from '../store/index.js';
import type { PermissionService } from '../permission/index.js';
import {
  GitWorkspaceManager,
  NO_GIT_METADATA_KEY,
  branchName,
  isWorkspaceError,
  type GitFilePatch,
} from '../workspace/index.js';
import { DriverControlError, GoalDriver, type GoalDriverConfig } from '../driver/orchestrator.js';
import { ClaudeNotFoundError, findClaude } from '../driver/find-claude.js';
import type { Workspace, WorkspacePort } from '../driver/ports.js';
import { HostError } from './command-error.js';
import type { GoalRuntime } from './handlers/runtime.js';
import { SetupPhase, driveAfterSetup } from './setup-phase.js';
import { commitBeforeDelete } from './land-service.js';
import { AdmissionQueue } from './admission.js';
import { planRewind } from './rewind-plan.js';
import { DEFAULT_AUTO_COMPACTION } from '../driver/compact.js';
import type { RunGoalOptions } from '../driver/orchestrator.js';
import { ZERO_USAGE, type BudgetGuards } from '../../shared/domain/goal.js';
import type { BudgetExtension } from '../../shared/domain/budget-extension.js';

export interface GoalRunnerOptions {
  paths: DataPaths;
  stores: Stores;
  permissions: PermissionService;
  workspaces: GitWorkspaceManager;
  /** `--claude PATH` (CLI); else the setting, OVERSEER_CLAUDE_BIN, PATH, the login shell. */
  claudeBinary?: string | null;
  /** Passed to every GoalDriver (env, timeouts, setting sources...). */
  driver?: Partial<Omit<GoalDriverConfig, 'claudeBin' | 'goalFilesDir'>>;
}

interface Running {
  driver: GoalDriver;
  done: Promise<GoalOutcome>;
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

/** Turns the driver's control refusals into command errors. */
function control<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof DriverControlError) throw new HostError(error.code, error.message);
    throw error;
  }
}

export class GoalRunner implements GoalRuntime {
  private readonly running = new Map<string, Running>();
  /** Goals whose start is in progress (between the check and the driver's registration). */
  private readonly starting = new Set<string>();
  /** Workspaces the driver ensured (with their base commit), by goal. */
  private readonly ensured = new Map<string, Workspace>();
  private readonly workspacePort: WorkspacePort;
  /** Worktree setup before the first turn, and its cancel switches by goal. */
  private readonly setupPhase: SetupPhase;
  private readonly setupAborts = new Map<string, AbortController>();
  private readonly queue: AdmissionQueue;
  /** Notes the first turn of a continued goal carries (kept here while it waits in the queue). */
  private readonly startNotes = new Map<string, string[]>();
  private closing = false;

  constructor(private readonly options: GoalRunnerOptions) {
    const settings = options.stores.settings;
    this.queue = new AdmissionQueue({
      load: () => settings.get('admission.queue'),
      save: (ids) => settings.set('admission.queue', [...ids]),
    });
    const manager = options.workspaces;
    this.setupPhase = new SetupPhase(options.stores, manager);
    this.workspacePort = {
      ensure: async (goal) => {
        const ws = await manager.ensure(goal);
        this.ensured.set(goal.id, ws);
        return ws;
      },
      checkpoint: (ws, turn, phase) => manager.checkpoint(ws, turn, phase),
      diffStat: (ws, from, to) => manager.diffStat(ws, from, to),
      rollback: (ws, sha) => manager.rollback(ws, sha),
    };
  }

  /**
   * Starts driving a stored goal. Resolves once it runs; `finished(goalId)` waits for its end.
   * `notes` are queued for its first turn, as operator interrupts.
   */
  async start(goal: Goal, resume?: RunGoalOptions['resume'], notes: readonly string[] = []): Promise<void> {
    // Reserved before the first await: a second start of the same goal (two windows, CLI + UI) is refused.
    if (this.running.has(goal.id) || this.starting.has(goal.id))
      throw new HostError('conflict', `goal ${goal.id} is already running`);
    this.starting.add(goal.id);
    let claudeBin: string;
    try {
      const found = await findClaude({
        explicit: this.options.claudeBinary ?? null,
        setting: this.options.stores.settings.get('claude.binary'),
      });
      claudeBin = found.path;
    } catch (error) {
      if (error instanceof ClaudeNotFoundError) throw new HostError('failed_precondition', error.message);
      throw error;
    } finally {
      this.starting.delete(goal.id);
    }
    const { stores, permissions, paths } = this.options;
    const driver = new GoalDriver(
      {
        events: stores.events,
        bindings: stores.sessionBindings,
        transcripts: {
          appendLine: (goalId, turnIndex, line) => stores.transcripts.appendLine(goalId, turnIndex, line),
          // Recovery after a crash stops this process only if pid and kernel start time still match.
          recordProcess: (goalId, turnIndex, pid, startedAt) =>
            stores.transcripts.recordProcess(goalId, turnIndex, pid, processStartTime(pid) ?? startedAt),
          clearProcess: (goalId) => stores.transcripts.clearProcess(goalId),
        },
        workspaces: this.workspacePort,
        permissions,
        compactSummaries: stores.compactSummaries,
        rewinds: stores.sessionRewinds,
      },
      { ...this.runSettingsConfig(), ...this.options.driver, claudeBin, goalFilesDir: paths.goalsDir },
    );
    // notes given to start() (land hand-off) and notes set by continueWith() lead the first turn
    const firstNotes = [...notes, ...(this.startNotes.get(goal.id) ?? [])];
    this.startNotes.delete(goal.id);
    const done = driveAfterSetup(this.setupPhase, goal, this.setupAborts, () =>
      driver.runGoal(goal, { ...(resume !== undefined ? { resume } : {}), notes: firstNotes }),
    ).finally(() => this.running.delete(goal.id));
    this.running.set(goal.id, { driver, done });
  }

  /** Resolves with the outcome when a running goal ends; null when it is not running. */
  finished(goalId: string): Promise<GoalOutcome> | null {
    return this.running.get(goalId)?.done ?? null;
  }

  isRunning(goalId: string): boolean {
    return this.running.has(goalId) || this.starting.has(goalId);
  }

  private driverOf(goalId: string): GoalDriver {
    const entry = this.running.get(goalId);
    if (entry === undefined) throw new HostError('failed_precondition', `goal ${goalId} is not running`);
    return entry.driver;
  }

  pause(goalId: string): void {
    control(() => this.driverOf(goalId).pause(goalId));
  }
  resume(goalId: string): void {
    control(() => this.driverOf(goalId).resume(goalId));
  }
  cancel(goalId: string): void {
    const setup = this.setupAborts.get(goalId);
    if (setup !== undefined) return setup.abort();
    if (this.queue.has(goalId)) return this.cancelQueued(goalId);
    control(() => this.driverOf(goalId).cancel(goalId));
  }
  interrupt(goalId: string, message: string, stopTurn: boolean): number {
    return control(() => this.driverOf(goalId).interrupt(goalId, message, { stopTurn }));
  }
  raiseTurnLimit(goalId: string, maxTurns: number): number {
    return control(() => this.driverOf(goalId).raiseTurnLimit(goalId, maxTurns));
  }
  /** More budget for a running goal (one waiting at a cap goes on). Returns the budget in force. */
  extendBudget(goalId: string, extension: BudgetExtension): BudgetGuards {
    const record = this.options.stores.goals.get(goalId);
    const usage = record === null ? ZERO_USAGE : { ...record.usage, turns: record.totalTurns };
    return control(() => this.driverOf(goalId).extendBudget(goalId, extension, usage));
  }
  /** "End" for a goal waiting at a budget cap. */
  endAtCap(goalId: string): void {
    control(() => this.driverOf(goalId).endAtCap(goalId));
  }
  /** Starts (or queues) a goal that had ended, its first turn carrying `note`. */
  async continueWith(goal: Goal, resume: NonNullable<RunGoalOptions['resume']>, note: string) {
    this.startNotes.set(goal.id, [note]);
    try {
      return await this.admit(goal, resume);
    } catch (error) {
      this.startNotes.delete(goal.id);
      throw error;
    }
  }

  isTurnRunning(goalId: string): boolean {
    return this.running.get(goalId)?.driver.isTurnRunning(goalId) ?? false;
  }

  workspaceInfo(goal: Goal): WorkspaceInfo | null {
    const known = this.ensured.get(goal.id);
    if (known !== undefined)
      return { path: known.path, kind: known.kind, branch: known.branch, baseCommit: known.baseCommit };
    if (goal.metadata[NO_GIT_METADATA_KEY] === true)
      return { path: goal.repoPath, kind: 'no_git', branch: null, baseCommit: null };
    if (goal.inPlace) return { path: goal.repoPath, kind: 'in_place', branch: null, baseCommit: null };
    const path = join(this.options.paths.worktreesDir, goal.id);
    return existsSync(path) ? { path, kind: 'worktree', branch: branchName(goal.id), baseCommit: null } : null;
  }

  /** The goal's workspace, reopened if needed (never for a goal that has not started). */
  async workspaceOf(goalId: string): Promise<{ goal: Goal; ws: Workspace }> {
    const record = this.options.stores.goals.get(goalId);
    if (record === null) throw new HostError('not_found', `no goal ${goalId}`);
    const known = this.ensured.get(goalId);
    if (known !== undefined) return { goal: record.goal, ws: known };
    if (record.status === 'pending')
      throw new HostError('failed_precondition', 'the goal has not started: it has no workspace yet');
    const info = this.workspaceInfo(record.goal);
    if (info === null)
      throw new HostError(
        'failed_precondition',
        `the goal's worktree is gone (${join(this.options.paths.worktreesDir, goalId)})`,
      );
    if (info.kind === 'no_git')
      throw new HostError('failed_precondition', 'this goal runs without git: there are no checkpoints or diffs');
    const ws = await this.workspaceCall(() => this.workspacePort.ensure(record.goal));
    return { goal: record.goal, ws };
  }

  /** Forgets the cached workspace (its base moved, or it was removed): the next use reopens it. */
  forgetWorkspace(goalId: string): void {
    this.ensured.delete(goalId);
  }

  private async workspaceCall<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (isWorkspaceError(error)) throw new HostError('failed_precondition', error.message);
      throw error;
    }
  }

  /** A turn's first pre checkpoint and last post checkpoint (null while it has not finished). */
  checkpointsOf(goalId: string, turnIndex: number): { pre: string; post: string | null } {
    const attempts = this.options.stores.turns.turnsForGoal(goalId).filter((turn) => turn.turnIndex === turnIndex);
    const first = attempts.find((turn) => turn.preCheckpoint !== null);
    const last = [...attempts].reverse().find((turn) => turn.postCheckpoint !== null);
    if (first?.preCheckpoint == null)
      throw new HostError('not_found', `turn ${turnIndex} of goal ${goalId} has no checkpoint`);
    return { pre: first.preCheckpoint.sha, post: last?.postCheckpoint?.sha ?? null };
  }

  async turnDiff(goalId: string, turnIndex: number) {
    const { pre, post } = this.checkpointsOf(goalId, turnIndex);
    if (post === null) throw new HostError('failed_precondition', `turn ${turnIndex} has not finished: no diff yet`);
    const { ws } = await this.workspaceOf(goalId);
    const [stat, patch] = await this.workspaceCall(() =>
      Promise.all([this.options.workspaces.diffStat(ws, pre, post), this.options.workspaces.turnPatch(ws, pre, post)]),
    );
    return { stat, files: patch.files.map(toFilePatch) };
  }

  async cumulativeDiff(goalId: string) {
    const { ws } = await this.workspaceOf(goalId);
    const diff = await this.workspaceCall(() => this.options.workspaces.cumulativeDiff(ws));
    const patch = await this.workspaceCall(() => this.options.workspaces.turnPatch(ws, diff.baseCommit, diff.tree));
    return { stat: diff.stat, files: patch.files.map(toFilePatch) };
  }

  /** One turn's change (turnIndex) or the goal's whole change so far (null) as one uncut patch for `git apply`. */
  async fullPatch(goalId: string, turnIndex: number | null) {
    const { ws } = await this.workspaceOf(goalId);
    const manager = this.options.workspaces;
    if (turnIndex !== null) {
      const { pre, post } = this.checkpointsOf(goalId, turnIndex);
      if (post === null)
        throw new HostError('failed_precondition', `turn ${turnIndex + 1} has not finished: no diff yet`);
      const [stat, patch] = await this.workspaceCall(() =>
        Promise.all([manager.diffStat(ws, pre, post), manager.fullPatch(ws, pre, post)]),
      );
      return { stat, patch, from: pre, to: post };
    }
    const diff = await this.workspaceCall(() => manager.cumulativeDiff(ws));
    const patch = await this.workspaceCall(() => manager.fullPatch(ws, diff.baseCommit, diff.tree));
    return { stat: diff.stat, patch, from: diff.baseCommit, to: diff.tree };
  }

  /** Restores the tree to a turn's checkpoint; refused while a turn runs. Recorded as an event. */
  async rollback(goalId: string, turnIndex: number, phase: 'pre' | 'post'): Promise<string> {
    if (this.isTurnRunning(goalId))
      throw new HostError(
        'failed_precondition',
        'a turn is running: pause the goal and wait for the turn to end, then roll back',
      );
    const { pre, post } = this.checkpointsOf(goalId, turnIndex);
    const sha = phase === 'pre' ? pre : post;
    if (sha === null) throw new HostError('failed_precondition', `turn ${turnIndex} has no ${phase} checkpoint`);
    const { ws } = await this.workspaceOf(goalId);
    await this.workspaceCall(() => this.options.workspaces.rollback(ws, sha));
    this.options.stores.events.appendDurable({ kind: 'rollback', goalId, turnIndex, phase, sha });
    // Claude forgets the undone turns too: the next turn resumes the conversation before them.
    const stores = this.options.stores;
    const lastTurn = Math.max(turnIndex, ...stores.turns.turnsForGoal(goalId).map((turn) => turn.turnIndex));
    const keptTurns = phase === 'pre' ? turnIndex : turnIndex + 1;
    if (keptTurns <= lastTurn) stores.sessionRewinds.set(planRewind(stores, goalId, keptTurns, lastTurn));
    return sha;
  }

  /** Deletes a goal that is not running: its worktree, branch (unless it has the user's commits), refs and records. */
  async delete(goalId: string, keepBranch: boolean): Promise<string> {
    if (this.isRunning(goalId)) throw new HostError('failed_precondition', 'the goal is running: cancel it first');
    if (this.queue.remove(goalId)) this.republishPositions();
    const record = this.options.stores.goals.get(goalId);
    if (record === null) throw new HostError('not_found', `no goal ${goalId}`);
    let message = 'nothing was left on disk';
    const info = this.workspaceInfo(record.goal);
    if (record.status !== 'pending' && info !== null && info.kind !== 'no_git') {
      const { ws } = await this.workspaceOf(goalId);
      // A kept branch holds the final snapshot: commit what is not committed anywhere first.
      if (keepBranch && ws.kind === 'worktree')
        await this.workspaceCall(() => commitBeforeDelete(this.options.workspaces, ws, record.goal.description));
      const result = await this.workspaceCall(() => this.options.workspaces.deleteWorkspace(ws, { keepBranch }));
      message = result.summary.join('; ') || message;
    } else if (info === null && !record.goal.inPlace && record.status !== 'pending') {
      // Cleaned up after landing: only the checkpoint refs are left.
      const refs = await this.workspaceCall(() => this.options.workspaces.deleteGoalRefs(goalId, record.goal.repoPath));
      message = `${refs} checkpoint refs deleted`;
    }
    this.ensured.delete(goalId);
    this.options.stores.goals.delete(goalId);
    return message;
  }

  runningGoalIds(): string[] {
    return [...this.running.keys()];
  }

  /** Compaction threshold and progress beacons from Settings → "Running goals". */
  private runSettingsConfig(): Partial<GoalDriverConfig> {
    const run = this.options.stores.settings.get('goals.running');
    return {
      // Token pressure only: the age trigger counts from the goal's start, not the last compaction,
      // so it would compact every few turns of a long goal whatever its context.
      autoCompaction: {
        ...DEFAULT_AUTO_COMPACTION,
        tokenPct: run.compactThreshold,
        minTurnsBetween: run.compactMinTurnsBetween,
        maxAgeMinutes: 0,
      },
      progressEveryTurns: run.progressEveryTurns,
    };
  }

  private maxRunning(): number {
    return this.options.stores.settings.get('goals.running').maxRunningGoals;
  }

  /**
   * Starts a stored goal now when a slot is free (and nobody queued before it), else queues it.
   * A started goal's end starts the next queued one.
   */
  async admit(
    goal: Goal,
    resume?: RunGoalOptions['resume'],
  ): Promise<{ queued: false } | { queued: true; position: number }> {
    if (this.isRunning(goal.id)) throw new HostError('conflict', `goal ${goal.id} is already running`);
    if (this.queue.has(goal.id)) return { queued: true, position: this.queue.position(goal.id) ?? 1 };
    if (this.running.size < this.maxRunning() && this.queue.list().length === 0) {
      await this.startAndWatch(goal, resume);
      return { queued: false };
    }
    const position = this.queue.push(goal.id);
    this.options.stores.events.appendDurable({ kind: 'goal_queued', goalId: goal.id, position });
    return { queued: true, position };
  }

  /** Queued goal ids in start order. */
  queuedGoalIds(): string[] {
    return this.queue.list();
  }

  isQueued(goalId: string): boolean {
    return this.queue.has(goalId);
  }

  /** Moves a queued goal one place up; returns its new position. */
  moveUp(goalId: string): number {
    const position = this.queue.moveUp(goalId);
    if (position === null) throw new HostError('failed_precondition', `goal ${goalId} is not queued`);
    this.republishPositions();
    return position;
  }

  /** Cancels a queued goal: it leaves the queue and ends `cancelled` without a turn. */
  private cancelQueued(goalId: string): void {
    if (!this.queue.remove(goalId)) return;
    this.startNotes.delete(goalId);
    const record = this.options.stores.goals.get(goalId);
    const usage = record?.usage ?? ZERO_USAGE;
    const totalTurns = record?.totalTurns ?? 0;
    this.options.stores.events.appendDurable({
      kind: 'goal_completed',
      goalId,
      outcome: {
        goalId,
        outcome: { kind: 'cancelled' },
        error: null,
        totalTurns,
        usage,
        finalText: null,
        acceptance: null,
        elapsedMs: 0,
      },
    });
    this.republishPositions();
  }

  /** Starts queued goals while slots are free (one that cannot start ends failed, saying why). */
  async startQueued(): Promise<void> {
    while (this.running.size < this.maxRunning()) {
      const goalId = this.queue.shift();
      if (goalId === null) return;
      const info = this.options.stores.resumeInfo(goalId);
      if (info === null || info.status !== 'queued') continue;
      try {
        await this.startAndWatch(info.goal, { usage: info.usage, totalTurns: info.totalTurns });
      } catch (error) {
        // It ends failed with the reason (a waiting `overseer run` learns of it too).
        const message = `the queued goal could not start: ${error instanceof Error ? error.message : String(error)}`;
        this.options.stores.events.appendDurable({
          kind: 'goal_completed',
          goalId,
          outcome: {
            goalId,
            outcome: { kind: 'escalate', reason: message },
            error: message,
            totalTurns: info.totalTurns,
            usage: info.usage,
            finalText: null,
            acceptance: null,
            elapsedMs: 0,
          },
        });
      }
      this.republishPositions();
    }
  }

  /** Re-queues goals left `queued` by an earlier host, in their saved order. */
  restoreQueue(queuedGoalIds: readonly string[]): void {
    this.queue.reconcile(queuedGoalIds);
  }

  /**
   * Starts a goal that has ended (done, cancelled, out of budget...) for more turns, with `notes`
   * for its next turn: same worktree, same Claude session. Only when a slot is free now: the
   * admission queue keeps goal ids, not notes.
   */
  async continueWithNotes(
    goal: Goal,
    resume: NonNullable<RunGoalOptions['resume']>,
    notes: readonly string[],
  ): Promise<void> {
    if (this.isRunning(goal.id) || this.queue.has(goal.id))
      throw new HostError('conflict', `goal ${goal.id} is already running or queued`);
    if (this.running.size >= this.maxRunning() || this.queue.list().length > 0) {
      throw new HostError(
        'failed_precondition',
        `${this.running.size} goal(s) are running, the most at once (Settings → Running goals): try again when one ends`,
      );
    }
    await this.startAndWatch(goal, resume, notes);
  }

  private async startAndWatch(
    goal: Goal,
    resume?: RunGoalOptions['resume'],
    notes: readonly string[] = [],
  ): Promise<void> {
    await this.start(goal, resume, notes);
    void this.running
      .get(goal.id)
      ?.done.catch(() => undefined)
      .then(() => (this.closing ? undefined : this.startQueued()))
      .catch(() => undefined);
  }

  /** Tells every queued goal its position (after a move or a departure). */
  private republishPositions(): void {
    this.queue.list().forEach((goalId, index) => {
      this.options.stores.events.append({ kind: 'goal_queued', goalId, position: index + 1 });
    });
  }

  /** Cancels every running goal and waits for them to end. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const entries = [...this.running.values()];
    await Promise.all(entries.map((entry) => entry.driver.shutdown()));
    await Promise.allSettled(entries.map((entry) => entry.done));
  }
}
