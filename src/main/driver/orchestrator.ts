// GoalDriver: drives goals turn by turn through the real Claude Code CLI (docs/driver.md) and
// offers the operator controls (pause, resume, cancel, interrupt with or without stopping the
// running turn, raise the turn limit, extend the budget or end a goal waiting at a cap, notes for
// a continued goal's first turn, pre-register for reattach, shutdown). Every goal ends with
// `goal_completed`, also when something threw, and its per-goal state is always cleaned up.
import type {
  AttemptOutcome,
  BudgetAxis,
  BudgetGuards,
  BudgetUsage,
  Goal,
  GoalId,
  GoalOutcome,
} from '../../shared/domain/goal.js';
import {
  AXIS_LABELS,
  extendBudget,
  extensionIsEmpty,
  type BudgetExtension,
} from '../../shared/domain/budget-extension.js';
import { effectiveBudget } from './budget.js';
import { ZERO_USAGE } from '../../shared/domain/goal.js';
import type { DriverEvent } from '../../shared/events.js';
import type { AcceptanceEvaluator } from './acceptance.js';
import { chooseAttemptRunner } from './attempt-runner-choice.js';
import type { ClaudeProcessMode } from './claude-process-mode.js';
import type { AttemptRunner } from './attempt-port.js';
import { INSTALL_HINT, isExecutableFile } from './find-claude.js';
import { DefaultCompactPolicy, type AutoCompactionConfig, type CompactPolicy } from './compact.js';
import { runGoalLoop } from './goal-loop.js';
import type { GoalProgress } from './goal-loop-context.js';
import { GoalState } from './goal-state.js';
import { writeMcpConfig } from './mcp-config.js';
import type {
  CompactSummaryStore,
  EventSink,
  PermissionGoalHandle,
  PermissionPort,
  SessionBindingStore,
  SessionRewindStore,
  TranscriptSink,
  WorkspacePort,
} from './ports.js';
import { DefaultReplayPolicy, type ReplayPolicy } from './replay.js';
import type { ResumedSleep } from './resume-sleep.js';

export interface GoalDriverPorts {
  events: EventSink;
  bindings: SessionBindingStore;
  transcripts: TranscriptSink;
  workspaces: WorkspacePort;
  permissions: PermissionPort;
  /** Optional: where compact summaries are kept for a later session. */
  compactSummaries?: CompactSummaryStore | null;
  /** Optional: rewinds a rollback left for the next turn (see SessionRewind). */
  rewinds?: SessionRewindStore | null;
}

export interface GoalDriverConfig {
  /** Absolute path of the claude binary (see findClaude). */
  claudeBin: string;
  /** Appended to every claude argv. */
  extraArgs?: string[];
  /** --setting-sources value; default "user"; null omits the flag. */
  settingSources?: string | null;
  /** Environment of the claude process (default process.env, passed through whole). */
  env?: NodeJS.ProcessEnv;
  /** Idle turn timeout for goals that set none (default 10 min; 0 = none): ms without output from Claude, operator waits excluded. */
  turnTimeoutMs?: number;
  /** SIGINT → SIGKILL grace when stopping a turn (default 5 s). */
  killGraceMs?: number;
  /** Directory for per-goal files outside worktrees (the MCP config): DataPaths.goalsDir. */
  goalFilesDir: string;
  acceptance?: AcceptanceEvaluator;
  replayPolicy?: ReplayPolicy;
  compactPolicy?: CompactPolicy;
  autoCompaction?: AutoCompactionConfig | null;
  /** Context window for token pressure; 0 (default) disables proactive compaction. */
  contextWindow?: number;
  /** Publish `progress` every N counted turns (0 = off, default). */
  progressEveryTurns?: number;
  /** Replaces the real Claude attempt runner (tests). */
  attemptRunner?: AttemptRunner;
  /** How Claude Code runs: one long-lived process per goal (default, docs/long-lived-mode.md) or a process per turn. */
  claudeProcess?: ClaudeProcessMode;
  /** Long-lived mode: turns a process runs before it is replaced (default 25; 0 = never). */
  longLivedRecycleTurns?: number;
}

export type DriverControlErrorCode = 'not_found' | 'conflict' | 'failed_precondition' | 'invalid_payload';

/** A control the driver refused; `code` matches the contract's ErrorCode. */
export class DriverControlError extends Error {
  constructor(
    readonly code: DriverControlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DriverControlError';
  }
}

export interface RunGoalOptions {
  /** Continue a goal after a restart: usage and counted turns from the store (and a sleep to finish). */
  resume?: { usage: BudgetUsage; totalTurns: number; sleep?: ResumedSleep | null };
  /** Operator notes the first turn carries (continuing a goal that ended). */
  notes?: string[];
}

export class GoalDriver {
  private readonly states = new Map<GoalId, GoalState>();
  private readonly runner: AttemptRunner;
  private shuttingDown = false;

  constructor(
    private readonly ports: GoalDriverPorts,
    private readonly config: GoalDriverConfig,
  ) {
    this.runner = chooseAttemptRunner(config, ports, (event) => this.publish(event));
  }

  /** Drives one goal to its end. Never rejects for goal-level failures: they end in the outcome's `error`. */
  async runGoal(goal: Goal, options: RunGoalOptions = {}): Promise<GoalOutcome> {
    if (this.shuttingDown) throw new DriverControlError('failed_precondition', 'the driver is shutting down');
    const existing = this.states.get(goal.id);
    if (existing?.goal !== null && existing?.goal !== undefined) {
      throw new DriverControlError('conflict', `goal ${goal.id} is already running`);
    }
    const state = existing ?? new GoalState();
    state.goal = goal;
    state.interrupts.push(...(options.notes ?? []).map((note) => note.trim()).filter((note) => note !== ''));
    this.states.set(goal.id, state);
    let finish = (): void => {};
    state.finished = new Promise<void>((resolve) => {
      finish = resolve;
    });

    const startedAt = Date.now();
    const totalTurns = options.resume?.totalTurns ?? 0;
    const progress: GoalProgress = {
      usage: { ...ZERO_USAGE, ...options.resume?.usage, turns: totalTurns },
      totalTurns,
      finalText: null,
      lastAcceptance: null,
    };
    let outcome: AttemptOutcome = { kind: 'escalate', reason: 'not started' };
    let error: string | null = null;
    let permission: PermissionGoalHandle | null = null;
    let unsubscribe: (() => void) | null = null;
    this.publish({ kind: 'goal_started', goalId: goal.id, goal });
    try {
      if (this.config.attemptRunner === undefined && !(await isExecutableFile(this.config.claudeBin))) {
        throw new Error(`Claude Code was not found at ${this.config.claudeBin}. ${INSTALL_HINT}`);
      }
      const workspace = await this.ports.workspaces.ensure(goal);
      permission = this.ports.permissions.openGoal(goal, workspace);
      unsubscribe = permission.onDecision((notice) => {
        // An aborted request (bridge gone, turn stopped, goal closed) is nobody's deny: it changes nothing.
        if (notice.aborted === true) return;
        state.consecutiveDenies = notice.decision.behavior === 'deny' ? state.consecutiveDenies + 1 : 0;
      });
      const mcpConfigPath = await writeMcpConfig(this.config.goalFilesDir, goal.id, permission.mcpServer);
      outcome = await runGoalLoop(
        {
          goal,
          state,
          workspace,
          permission,
          mcpConfigPath,
          runner: this.runner,
          publish: (event) => this.publish(event),
          bindings: this.ports.bindings,
          workspaces: this.ports.workspaces,
          compactSummaries: this.ports.compactSummaries ?? null,
          replay: this.config.replayPolicy ?? new DefaultReplayPolicy(),
          compactPolicy: this.config.compactPolicy ?? new DefaultCompactPolicy(),
          autoCompaction: this.config.autoCompaction ?? null,
          contextWindow: this.config.contextWindow ?? 0,
          progressEveryTurns: this.config.progressEveryTurns ?? 0,
          startedAt,
          resumeSleep: options.resume?.sleep ?? null,
          rewinds: this.ports.rewinds ?? null,
        },
        progress,
      );
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      outcome = { kind: 'escalate', reason: `driver error: ${error}` };
    } finally {
      try {
        await this.runner.releaseGoal?.(goal.id);
      } catch {
        // the runner's own problem: the goal ends anyway
      }
      try {
        unsubscribe?.();
      } catch {
        // the permission path's own problem
      }
      try {
        permission?.close(`goal ended: ${outcome.kind}`);
      } catch {
        // the permission path's own problem
      }
      this.states.delete(goal.id);
      state.goal = null;
      finish();
    }
    const goalOutcome: GoalOutcome = {
      goalId: goal.id,
      outcome,
      error,
      totalTurns: progress.totalTurns,
      usage: { ...progress.usage, turns: progress.totalTurns },
      finalText: progress.finalText,
      acceptance: progress.lastAcceptance,
      elapsedMs: Date.now() - startedAt,
    };
    this.publish({ kind: 'goal_completed', goalId: goal.id, outcome: goalOutcome });
    return goalOutcome;
  }

  /** Makes controls work for a goal about to be reattached (before its runGoal starts). */
  preRegister(goalId: GoalId): void {
    if (!this.states.has(goalId)) this.states.set(goalId, new GoalState());
  }

  /** Holds the goal before its next turn (the running turn finishes). false when already paused. */
  pause(goalId: GoalId): boolean {
    const state = this.require(goalId);
    if (state.paused) return false;
    state.paused = true;
    state.notify();
    this.publish({ kind: 'goal_paused', goalId });
    return true;
  }

  /** false when it was not paused. */
  resume(goalId: GoalId): boolean {
    const state = this.require(goalId);
    if (!state.paused && state.atCap !== null) {
      throw new DriverControlError(
        'failed_precondition',
        `the goal waits at its ${AXIS_LABELS[state.atCap]} cap: give it more (+N and continue) or end it`,
      );
    }
    if (!state.paused) return false;
    state.paused = false;
    state.notify();
    this.publish({ kind: 'goal_resumed', goalId });
    return true;
  }

  isPaused(goalId: GoalId): boolean {
    return this.states.get(goalId)?.paused ?? false;
  }

  /** Cancels the goal: the running turn is stopped (SIGINT, then a kill); the outcome is cancelled. */
  cancel(goalId: GoalId): boolean {
    const state = this.require(goalId);
    if (state.cancelled) return false;
    state.cancelled = true;
    state.currentTurn?.stop('cancel');
    state.notify();
    return true;
  }

  isCancelled(goalId: GoalId): boolean {
    return this.states.get(goalId)?.cancelled ?? false;
  }

  /**
   * Queues a note for the next turn's prompt (FIFO). With stopTurn the running turn is stopped now
   * (a sleep is cut short) and the next turn starts with the note. Returns the queue depth.
   */
  interrupt(goalId: GoalId, note: string, options: { stopTurn?: boolean } = {}): number {
    const state = this.require(goalId);
    const text = note.trim();
    if (text === '') throw new DriverControlError('invalid_payload', 'an interrupt note must not be empty');
    const stopTurn = options.stopTurn ?? false;
    state.interrupts.push(text);
    this.publish({ kind: 'interrupt_queued', goalId, message: text, queueDepth: state.interrupts.length, stopTurn });
    if (stopTurn) {
      if (state.currentTurn !== null) state.currentTurn.stop('stop_turn');
      else if (state.turnActive) state.stopPending = true;
      state.wakeEarly();
    }
    return state.interrupts.length;
  }

  /** Raises the goal's turn limit (grow-only). Returns the new limit. */
  raiseTurnLimit(goalId: GoalId, maxTurns: number): number {
    const state = this.require(goalId);
    if (!Number.isInteger(maxTurns) || maxTurns < 0) {
      throw new DriverControlError('invalid_payload', `turn limit must be a whole number, got ${maxTurns}`);
    }
    const current =
      state.goal !== null
        ? state.effectiveMaxTurns((state.extendedBudget ?? state.goal.budget).maxTurns)
        : (state.raisedMaxTurns ?? 0);
    if (maxTurns <= current) {
      throw new DriverControlError(
        'failed_precondition',
        `the turn limit only grows: ${maxTurns} <= current ${current}`,
      );
    }
    state.raisedMaxTurns = maxTurns;
    this.publish({ kind: 'turn_limit_raised', goalId, maxTurns });
    // A goal waiting at its turns cap goes on.
    state.notify();
    return maxTurns;
  }

  /**
   * Gives a running goal more budget (each extended axis grows from the larger of its cap and its
   * usage). A goal waiting at a cap goes on when the extension lifts it. Returns the budget in force.
   */
  extendBudget(goalId: GoalId, extension: BudgetExtension, usage: BudgetUsage): BudgetGuards {
    const state = this.require(goalId);
    if (state.goal === null) throw new DriverControlError('failed_precondition', `goal ${goalId} has not started yet`);
    if (extensionIsEmpty(extension))
      throw new DriverControlError('invalid_payload', 'say how much to add (turns, wall time, tokens or cost)');
    const current = effectiveBudget(state.extendedBudget ?? state.goal.budget, state.raisedMaxTurns);
    const budget = extendBudget(current, usage, extension);
    state.extendedBudget = budget;
    state.raisedMaxTurns = null;
    this.publish({ kind: 'budget_extended', goalId, budget });
    state.notify();
    return budget;
  }

  /** "End" at a cap: the goal waiting at a cap ends budget-exhausted. */
  endAtCap(goalId: GoalId): void {
    const state = this.require(goalId);
    if (state.atCap === null)
      throw new DriverControlError('failed_precondition', `goal ${goalId} is not waiting at a budget cap`);
    state.endAtCap = true;
    state.notify();
  }

  /** The axis whose cap the goal waits at, or null. */
  capOf(goalId: GoalId): BudgetAxis | null {
    return this.states.get(goalId)?.atCap ?? null;
  }

  /** True while the goal's turn is in progress (checkpoints, Claude, acceptance): a rollback must wait. */
  isTurnRunning(goalId: GoalId): boolean {
    return this.states.get(goalId)?.turnActive ?? false;
  }

  /** Goals whose runGoal is in progress. */
  runningGoalIds(): GoalId[] {
    return [...this.states.entries()].filter(([, state]) => state.goal !== null).map(([id]) => id);
  }

  /** Cancels every goal and waits for them to end. New runGoal calls are refused from now on. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const waits: Promise<void>[] = [];
    for (const state of this.states.values()) {
      state.cancelled = true;
      state.currentTurn?.stop('cancel');
      state.notify();
      if (state.finished !== null && state.goal !== null) waits.push(state.finished);
    }
    await Promise.all(waits);
    this.states.clear();
  }

  private require(goalId: GoalId): GoalState {
    const state = this.states.get(goalId);
    if (state === undefined) throw new DriverControlError('not_found', `goal ${goalId} is not running`);
    return state;
  }

  private publish(event: DriverEvent): void {
    try {
      this.ports.events.publish(event);
    } catch {
      // EventSink must not throw; if it does, the goal goes on
    }
  }
}
