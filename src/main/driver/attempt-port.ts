// The attempt port: what the goal loop hands one turn (AttemptParams), what it gets back
// (AttemptRunOutput), the TurnStop that lets it stop the turn, and the AttemptRunner interface that
// the real runner (attempt.ts) and the tests' scripted runner implement.
import type { AcceptanceVerdict, AttemptOutcome, BudgetUsage, Goal, GoalId } from '../../shared/domain/goal.js';
import type { ContextReading } from './context-pressure.js';
import type { PermissionPrompts, Workspace } from './ports.js';
import { continueBecause } from './turn-verdict.js';

export type TurnStopCause = 'cancel' | 'stop_turn';

/** Lets the driver stop a running attempt: the goal was cancelled, or the operator stopped this turn. */
export class TurnStop {
  private readonly controller = new AbortController();
  private cause: TurnStopCause | null = null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the attempt was stopped, if it was (a method: the value changes while the attempt runs). */
  reason(): TurnStopCause | null {
    return this.cause;
  }

  /** 'cancel' overrides an earlier 'stop_turn'. */
  stop(cause: TurnStopCause): void {
    if (this.cause === null || cause === 'cancel') this.cause = cause;
    this.controller.abort();
  }
}

export interface AttemptParams {
  goal: Goal;
  workspace: Workspace;
  /** Turn counter at the start of this attempt (a retried turn keeps its index). */
  turnIndex: number;
  /** Totals before this attempt. */
  usage: BudgetUsage;
  prompt: string;
  /** A `/compact` turn that does not count as work. */
  compact: boolean;
  mcpConfigPath: string | null;
  stop: TurnStop;
  /** The goal's permission path: while it waits on the operator the turn's idle clock does not run. */
  operator?: OperatorWait | null;
  /**
   * The goal's permission path, asked in this process: a long-lived Claude process sends its permission
   * prompts on its own stdio to it (stdio-prompts.ts). Absent: prompts go through the MCP config's bridge.
   */
  prompts?: PermissionPrompts | null;
  /**
   * Called once Claude is done and its claim is about to be checked; acceptance starts when the
   * returned promise settles (the goal loop starts the post-turn checkpoint here, see runTurn).
   */
  beforeAcceptance?: () => Promise<void>;
}

/** What an attempt needs to know about operator waits of its goal. */
export interface OperatorWait {
  /** True while a permission request of the goal waits for the operator. */
  awaitingOperator(): boolean;
  /** Called on every decision for the goal. Returns an unsubscribe function. */
  onDecision(listener: () => void): () => void;
}

export interface AttemptRunOutput {
  outcome: AttemptOutcome;
  usageAfter: BudgetUsage;
  acceptance: AcceptanceVerdict | null;
  finalText: string | null;
  sessionId: string | null;
  turnTokens: number;
  turnCostUsd: number;
  permissionDenials: number;
  /** On a compact turn: the summary Claude Code produced (result text, or its continuation message). */
  compactSummary: string | null;
  /** The context window and fill the CLI reported (for proactive compaction); absent when unknown. */
  context?: ContextReading;
}

export interface AttemptRunner {
  run(params: AttemptParams): Promise<AttemptRunOutput>;
  /**
   * Nothing of the goal runs for a while (it ended, is paused, waits at a budget cap or sleeps): let go
   * of what the runner keeps for it between turns (the long-lived runner's process). Never during a turn.
   */
  releaseGoal?(goalId: GoalId): Promise<void>;
}

/** An attempt's output when nothing ran and nothing was used. */
export function emptyOutput(usage: BudgetUsage): AttemptRunOutput {
  return {
    outcome: continueBecause('no_result'),
    usageAfter: usage,
    acceptance: null,
    finalText: null,
    sessionId: null,
    turnTokens: 0,
    turnCostUsd: 0,
    permissionDenials: 0,
    compactSummary: null,
  };
}
