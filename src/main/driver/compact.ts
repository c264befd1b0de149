// Compaction (docs/driver.md, "Compaction"): when to spend a turn on `/compact` (token pressure or
// session age, with an anti-storm gap), and the breaker that stops trying after repeated compact
// failures. Each goal has its own breaker, so one goal's failures never stop another's compactions.
import type { BudgetUsage, GoalId } from '../../shared/domain/goal.js';

export type CompactTrigger =
  | { kind: 'token_pressure'; pct: number; tokensUsed: number; contextWindow: number }
  | { kind: 'age'; ageMinutes: number; maxAgeMinutes: number };

/** Automatic compaction settings. */
export interface AutoCompactionConfig {
  /** Token pressure threshold 0..1; 0 falls back to the policy threshold (it does not turn tokens off). */
  tokenPct: number;
  /** Session age that triggers a compact; 0 turns the age trigger off. */
  maxAgeMinutes: number;
  minTurnsBetween: number;
  maxConsecutiveFailures: number;
}

export const DEFAULT_AUTO_COMPACTION: AutoCompactionConfig = {
  tokenPct: 0.8,
  maxAgeMinutes: 120,
  minTurnsBetween: 5,
  maxConsecutiveFailures: 3,
};

export interface CompactContext {
  goalId: GoalId;
  turnIndex: number;
  usage: BudgetUsage;
  /** 0 disables compaction. */
  contextWindow: number;
  /**
   * Tokens in the session's context now (the last request's size, see context-pressure.ts); when
   * unknown (null or absent) the pressure falls back to the goal's cumulative token usage.
   */
  contextTokens?: number | null;
  lastCompactTurn: number | null;
  goalDescription: string;
  sessionAgeMinutes: number;
  auto: AutoCompactionConfig | null;
}

export interface CompactRequest {
  focus: string;
  trigger: CompactTrigger;
}

export interface CompactPolicy {
  classify(ctx: CompactContext): CompactRequest | null;
}

const FOCUS_PREFIX = 'continue goal: ';
const FOCUS_DESCRIPTION_CHARS = 140;

/** The `/compact` focus text for a goal: "continue goal: " and the first 140 characters of its description. */
export function compactFocus(goalDescription: string): string {
  return FOCUS_PREFIX + Array.from(goalDescription).slice(0, FOCUS_DESCRIPTION_CHARS).join('');
}

export class DefaultCompactPolicy implements CompactPolicy {
  readonly enabled: boolean;
  readonly threshold: number;
  readonly minTurnsBetween: number;

  constructor(options: { enabled?: boolean; threshold?: number; minTurnsBetween?: number } = {}) {
    this.enabled = options.enabled ?? true;
    this.threshold = options.threshold ?? 0.7;
    this.minTurnsBetween = options.minTurnsBetween ?? 5;
  }

  classify(ctx: CompactContext): CompactRequest | null {
    if (!this.enabled || ctx.contextWindow <= 0) return null;
    const gap = Math.max(0, ctx.turnIndex - (ctx.lastCompactTurn ?? 0));
    const minGap = ctx.auto !== null ? ctx.auto.minTurnsBetween : this.minTurnsBetween;
    if (gap < minGap) return null;
    const threshold = ctx.auto !== null && ctx.auto.tokenPct > 0 ? ctx.auto.tokenPct : this.threshold;
    const tokensUsed = ctx.contextTokens ?? ctx.usage.tokens;
    const pressure = tokensUsed / ctx.contextWindow;
    const focus = compactFocus(ctx.goalDescription);
    if (pressure >= threshold) {
      return {
        focus,
        trigger: { kind: 'token_pressure', pct: pressure, tokensUsed, contextWindow: ctx.contextWindow },
      };
    }
    if (ctx.auto !== null && ctx.auto.maxAgeMinutes > 0 && ctx.sessionAgeMinutes >= ctx.auto.maxAgeMinutes) {
      return {
        focus,
        trigger: { kind: 'age', ageMinutes: ctx.sessionAgeMinutes, maxAgeMinutes: ctx.auto.maxAgeMinutes },
      };
    }
    return null;
  }
}

/** Stops compaction attempts after `max` failures in a row; one per goal. */
export class CompactBreaker {
  consecutiveFailures = 0;
  lastCompactTurn: number | null = null;

  isTripped(max: number): boolean {
    return max > 0 && this.consecutiveFailures >= max;
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
  }

  recordSuccess(turnIndex: number): void {
    this.consecutiveFailures = 0;
    this.lastCompactTurn = turnIndex;
  }
}
