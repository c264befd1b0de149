// Replay policy (driver-spec §8): what to do after a turn ended in Continue or Escalate. The default
// classifies the error text by substring, first match wins: prompt too long → compact and retry;
// lost session → fresh session with rollback; transient → fresh session until the retry cap, then
// escalate; anything else → next turn without rollback. A turn whose Claude twice started without the
// permission tool (already retried once by the attempt) escalates at once.
import type { BudgetUsage, GoalId, ReplayDecision } from '../../shared/domain/goal.js';

export interface ReplayContext {
  goalId: GoalId;
  /** The turn counter after the failed turn was counted. */
  turnIndex: number;
  /** Sha of the snapshot taken before the failed turn; null without git. */
  preTurnCheckpoint: string | null;
  usage: BudgetUsage;
  errorMessage: string;
  /** The attempt's outcome kind (passed for custom policies; the default ignores it). */
  hint: 'continue' | 'escalate';
}

export interface ReplayPolicy {
  classify(ctx: ReplayContext): ReplayDecision;
}

/** Rule 1. The seed's four markers plus "prompt is too long", the wording Claude Code 2.1 uses. */
const PROMPT_TOO_LONG_MARKERS = [
  'prompt too long',
  'prompt is too long',
  'prompt_too_long',
  'context_length_exceeded',
  'payload_too_large',
];
/** The attempt's reason when Claude twice started without our permission tool (see turn-verdict.ts). */
const PERMISSION_TOOL_MISSING = 'permission tool missing';
const SESSION_LOST_MARKERS = ['not found', 'expired', 'invalid'];
/** Rule 3. The seed's four markers plus "overloaded" (API 529), which the CLI reports after its own retries. */
const TRANSIENT_MARKERS = ['timeout', 'rate limit', 'unavailable', 'temporarily', 'overloaded'];

export class DefaultReplayPolicy implements ReplayPolicy {
  readonly maxFreshSessionRetries: number;

  constructor(options: { maxFreshSessionRetries?: number } = {}) {
    this.maxFreshSessionRetries = options.maxFreshSessionRetries ?? 1;
  }

  classify(ctx: ReplayContext): ReplayDecision {
    const message = ctx.errorMessage.toLowerCase();
    // The attempt already retried this one with a fresh bridge: the operator has to look at it.
    if (message.startsWith(PERMISSION_TOOL_MISSING)) return { kind: 'escalate', reason: ctx.errorMessage };
    if (PROMPT_TOO_LONG_MARKERS.some((marker) => message.includes(marker))) {
      return { kind: 'compact_and_retry' };
    }
    if (message.includes('session') && SESSION_LOST_MARKERS.some((marker) => message.includes(marker))) {
      return { kind: 'fresh_session_retry', rollbackTo: ctx.preTurnCheckpoint };
    }
    if (TRANSIENT_MARKERS.some((marker) => message.includes(marker))) {
      if (ctx.usage.consecutiveErrors < this.maxFreshSessionRetries) {
        return { kind: 'fresh_session_retry', rollbackTo: ctx.preTurnCheckpoint };
      }
      return {
        kind: 'escalate',
        reason: `transient errors persist after ${this.maxFreshSessionRetries} retries: ${ctx.errorMessage}`,
      };
    }
    return { kind: 'next_turn', rollbackTo: null };
  }
}
