// Replay policy (see docs/driver.md, "Replay"): what to do after a turn ended in Continue or Escalate.
// An outcome Overseer decided itself carries a typed cause, and the decision follows that cause alone
// (rewording its text changes nothing). Only Claude Code's own error text is classified by substring,
// first match wins: prompt too long → compact and retry; lost session → fresh session with rollback;
// transient → fresh session until the retry cap, then escalate; anything else → next turn without rollback.
import type { AttemptCause, BudgetUsage, GoalId, ReplayDecision } from '../../shared/domain/goal.js';

export interface ReplayContext {
  goalId: GoalId;
  /** The turn counter after the failed turn was counted. */
  turnIndex: number;
  /** Sha of the snapshot taken before the failed turn; null without git. */
  preTurnCheckpoint: string | null;
  usage: BudgetUsage;
  errorMessage: string;
  /** Why Overseer ended the attempt; null when errorMessage is Claude Code's own error text. */
  cause: AttemptCause | null;
  /** The attempt's outcome kind (passed for custom policies; the default ignores it). */
  hint: 'continue' | 'escalate';
}

export interface ReplayPolicy {
  classify(ctx: ReplayContext): ReplayDecision;
}

/** Claude Code's wordings of a prompt over the context window ("Prompt is too long" in 2.1). */
const PROMPT_TOO_LONG_MARKERS = [
  'prompt too long',
  'prompt is too long',
  'prompt_too_long',
  'context_length_exceeded',
  'payload_too_large',
];
/** With "session": Claude Code could not resume the conversation. */
const SESSION_LOST_MARKERS = ['not found', 'expired', 'invalid'];
/** Errors worth a fresh try: the API's timeouts, rate limits and outages ("overloaded" is API 529). */
const TRANSIENT_MARKERS = ['timeout', 'rate limit', 'unavailable', 'temporarily', 'overloaded'];

export class DefaultReplayPolicy implements ReplayPolicy {
  readonly maxFreshSessionRetries: number;

  constructor(options: { maxFreshSessionRetries?: number } = {}) {
    this.maxFreshSessionRetries = options.maxFreshSessionRetries ?? 1;
  }

  classify(ctx: ReplayContext): ReplayDecision {
    return ctx.cause !== null ? this.byCause(ctx.cause, ctx) : this.byClaudeText(ctx);
  }

  private byCause(cause: AttemptCause, ctx: ReplayContext): ReplayDecision {
    switch (cause) {
      // The attempt already retried this one with a fresh bridge: the operator has to look at it.
      case 'permission_tool_missing':
        return { kind: 'escalate', reason: ctx.errorMessage };
      case 'session_invalid':
        return { kind: 'fresh_session_retry', rollbackTo: ctx.preTurnCheckpoint };
      case 'turn_timeout':
        return this.transient(ctx);
      case 'no_result':
      case 'max_turns':
      case 'stopped_by_operator':
      case 'no_session_to_compact':
        return { kind: 'next_turn', rollbackTo: null };
    }
  }

  private byClaudeText(ctx: ReplayContext): ReplayDecision {
    const message = ctx.errorMessage.toLowerCase();
    if (PROMPT_TOO_LONG_MARKERS.some((marker) => message.includes(marker))) {
      return { kind: 'compact_and_retry' };
    }
    if (message.includes('session') && SESSION_LOST_MARKERS.some((marker) => message.includes(marker))) {
      return { kind: 'fresh_session_retry', rollbackTo: ctx.preTurnCheckpoint };
    }
    if (TRANSIENT_MARKERS.some((marker) => message.includes(marker))) return this.transient(ctx);
    return { kind: 'next_turn', rollbackTo: null };
  }

  /** A fresh session until the retry cap, then escalate. */
  private transient(ctx: ReplayContext): ReplayDecision {
    if (ctx.usage.consecutiveErrors < this.maxFreshSessionRetries) {
      return { kind: 'fresh_session_retry', rollbackTo: ctx.preTurnCheckpoint };
    }
    return {
      kind: 'escalate',
      reason: `transient errors persist after ${this.maxFreshSessionRetries} retries: ${ctx.errorMessage}`,
    };
  }
}
