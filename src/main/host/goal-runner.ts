// The goal runner: starts goals on the driver (finding Claude Code first), relays the operator's
// controls, and does what needs a goal's workspace from the host side: per-turn and cumulative
// diffs and rollback (goal-checkpoints.ts), deleting a goal. One GoalDriver per running goal, so
// each start uses the Claude binary found at that moment. `admit` applies the limit of goals running
// at once (admission.ts): over it, goals wait `queued` and start in order as running ones end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Goal, GoalOutcome } from '../../shared/domain/goal.js';
import type { WorkspaceInfo } from '../../shared/domain/views.js';
import type { DataPaths } from '../paths.js';
import type { Stores } from '../store/index.js';
import type { PermissionService } from '../permission/index.js';
import { GitWorkspaceManager, NO_GIT_METADATA_KEY, branchName } from '../workspace/index.js';
import {
  GoalDriver,
  type GoalDriverConfig,
  findClaude,
  type Workspace,
  type WorkspacePort,
  type RunGoalOptions,
} from '../driver/index.js';
import { asCommand, asCommandAsync, HostError, toHostError } from './command-error.js';
import type { GoalRuntime } from './services/goal-runtime.js';
import { SetupPhase, driveAfterSetup } from './setup-phase.js';
import { commitBeforeDelete } from './land-service.js';
import { AdmissionQueue } from './admission.js';
import { GoalCheckpoints } from './goal-checkpoints.js';
import { createGoalDriver } from './goal-driver.js';
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
  private readonly checkpoints: GoalCheckpoints;
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
    this.checkpoints = new GoalCheckpoints({
      stores: options.stores,
      workspaces: manager,
      workspaceOf: (goalId) => this.workspaceOf(goalId),
      isTurnRunning: (goalId) => this.isTurnRunning(goalId),
    });
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
      throw toHostError(error) ?? error;
    } finally {
      this.starting.delete(goal.id);
    }
    const driver = createGoalDriver({ ...this.options, workspacePort: this.workspacePort, claudeBin });
    // notes given to start() and the note continueEnded() keeps for the goal lead the first turn
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
    asCommand(() => this.driverOf(goalId).pause(goalId));
  }
  resume(goalId: string): void {
    asCommand(() => this.driverOf(goalId).resume(goalId));
  }
  cancel(goalId: string): void {
    const setup = this.setupAborts.get(goalId);
    if (setup !== undefined) return setup.abort();
    if (this.queue.has(goalId)) return this.cancelQueued(goalId);
    asCommand(() => this.driverOf(goalId).cancel(goalId));
  }
  interrupt(goalId: string, message: string, stopTurn: boolean): number {
    return asCommand(() => this.driverOf(goalId).interrupt(goalId, message, { stopTurn }));
  }
  raiseTurnLimit(goalId: string, maxTurns: number): number {
    return asCommand(() => this.driverOf(goalId).raiseTurnLimit(goalId, maxTurns));
  }
  /** More budget for a running goal (one waiting at a cap goes on). Returns the budget in force. */
  extendBudget(goalId: string, extension: BudgetExtension): BudgetGuards {
    const record = this.options.stores.goals.get(goalId);
    const usage = record === null ? ZERO_USAGE : { ...record.usage, turns: record.totalTurns };
    return asCommand(() => this.driverOf(goalId).extendBudget(goalId, extension, usage));
  }
  /** "End" for a goal waiting at a budget cap. */
  endAtCap(goalId: string): void {
    asCommand(() => this.driverOf(goalId).endAtCap(goalId));
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
    const ws = await asCommandAsync(() => this.workspacePort.ensure(record.goal));
    return { goal: record.goal, ws };
  }

  /** Forgets the cached workspace (its base moved, or it was removed): the next use reopens it. */
  forgetWorkspace(goalId: string): void {
    this.ensured.delete(goalId);
  }

  /** Per-turn and cumulative diffs, whole patches and rollback (goal-checkpoints.ts). */
  checkpointsOf(goalId: string, turnIndex: number): { pre: string; post: string | null } {
    return this.checkpoints.checkpointsOf(goalId, turnIndex);
  }
  turnDiff(goalId: string, turnIndex: number) {
    return this.checkpoints.turnDiff(goalId, turnIndex);
  }
  cumulativeDiff(goalId: string) {
    return this.checkpoints.cumulativeDiff(goalId);
  }
  fullPatch(goalId: string, turnIndex: number | null) {
    return this.checkpoints.fullPatch(goalId, turnIndex);
  }
  rollback(goalId: string, turnIndex: number, phase: 'pre' | 'post'): Promise<string> {
    return this.checkpoints.rollback(goalId, turnIndex, phase);
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
        await asCommandAsync(() => commitBeforeDelete(this.options.workspaces, ws, record.goal.description));
      const result = await asCommandAsync(() => this.options.workspaces.deleteWorkspace(ws, { keepBranch }));
      message = result.summary.join('; ') || message;
    } else if (info === null && !record.goal.inPlace && record.status !== 'pending') {
      // Cleaned up after landing: only the checkpoint refs are left.
      const refs = await asCommandAsync(() => this.options.workspaces.deleteGoalRefs(goalId, record.goal.repoPath));
      message = `${refs} checkpoint refs deleted`;
    }
    this.ensured.delete(goalId);
    this.options.stores.goals.delete(goalId);
    return message;
  }

  runningGoalIds(): string[] {
    return [...this.running.keys()];
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
   * Starts a goal that has ended (done, cancelled, out of budget...) for more turns with `budget`
   * in force, `note` leading its first turn: same workspace, same Claude session. The one path of
   * `goal.continue` and the Land panel's hand-off. It is recorded first (goal_continued: the budget
   * is stored and the goal is no longer ended), then admitted: it starts now when a slot is free,
   * else it waits in the queue and its note waits with it.
   */
  async continueEnded(
    goal: Goal,
    resume: NonNullable<RunGoalOptions['resume']>,
    note: string,
    /** What the first turn is told, when it says more than the recorded note (e.g. reverts since the last turn). */
    turnNote: string = note,
  ): Promise<{ queued: false } | { queued: true; position: number }> {
    if (this.isRunning(goal.id) || this.queue.has(goal.id))
      throw new HostError('conflict', `goal ${goal.id} is already running or queued`);
    this.options.stores.events.appendDurable({ kind: 'goal_continued', goalId: goal.id, note, budget: goal.budget });
    this.startNotes.set(goal.id, [turnNote]);
    try {
      return await this.admit(goal, resume);
    } catch (error) {
      this.startNotes.delete(goal.id);
      throw error;
    }
  }

  private async startAndWatch(goal: Goal, resume?: RunGoalOptions['resume']): Promise<void> {
    await this.start(goal, resume);
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
