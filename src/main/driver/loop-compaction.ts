// Compaction in the goal loop (docs/driver.md, "Compaction"): after a counted turn, whether the next
// turn is a `/compact` turn (the policy decides, the goal's breaker can forbid it), and after a compact
// turn, its bookkeeping: the breaker's success or failure, `compact_completed`, and the summary stored
// for a later fresh session.
import type { AttemptResult, BudgetUsage } from '../../shared/domain/goal.js';
import type { AttemptRunOutput } from './attempt-port.js';
import type { CompactRequestedEvent, GoalLoopContext, GoalProgress, NextTurn } from './goal-loop-context.js';
import { isStoppedByOperator } from './turn-verdict.js';
import { errorText } from './error-text.js';

export function handleCompactTurn(
  ctx: GoalLoopContext,
  beforeTokens: number,
  turnIndex: number,
  output: AttemptRunOutput,
  result: AttemptResult,
  usage: BudgetUsage,
): void {
  const goalId = ctx.goal.id;
  ctx.publish({ kind: 'attempt_completed', goalId, result });
  // Stopped by the operator (or the goal cancelled): the compaction neither failed nor happened.
  const stopped = output.outcome.kind === 'cancelled' || isStoppedByOperator(output.outcome);
  if (stopped) return;
  const ok = output.outcome.kind === 'done' || output.outcome.kind === 'needs_retry';
  if (ok) ctx.state.breaker.recordSuccess(turnIndex);
  else ctx.state.breaker.recordFailure();
  ctx.publish({ kind: 'compact_completed', goalId, turnIndex, afterTokens: usage.tokens });
  if (!ok) return;
  const summary = output.compactSummary ?? output.finalText;
  if (summary === null || summary.trim() === '' || ctx.compactSummaries === null) return;
  try {
    ctx.compactSummaries.store({
      goalId,
      summary,
      turnIndex,
      beforeTokens,
      afterTokens: usage.tokens,
      storedAt: new Date().toISOString(),
    });
  } catch (error) {
    ctx.publish({ kind: 'driver_warning', goalId, message: `storing the compact summary failed: ${errorText(error)}` });
    return;
  }
  ctx.publish({ kind: 'compact_summary_stored', goalId, turnIndex, beforeTokens, afterTokens: usage.tokens });
}

export function maxCompactFailures(ctx: GoalLoopContext): number {
  return ctx.autoCompaction?.maxConsecutiveFailures ?? 3;
}

export function scheduleCompaction(ctx: GoalLoopContext, progress: GoalProgress): NextTurn | null {
  const { state, goal } = ctx;
  if (state.breaker.isTripped(maxCompactFailures(ctx))) return null;
  const ageMinutes = Math.floor((Date.now() - ctx.startedAt) / 60_000);
  const contextWindow = state.context.effectiveWindow(ctx.contextWindow);
  const contextTokens = state.context.tokens;
  const request = ctx.compactPolicy.classify({
    goalId: goal.id,
    turnIndex: progress.totalTurns,
    usage: progress.usage,
    contextWindow,
    contextTokens,
    lastCompactTurn: state.breaker.lastCompactTurn,
    goalDescription: goal.description,
    sessionAgeMinutes: ageMinutes,
    auto: ctx.autoCompaction,
  });
  if (request === null) return null;
  const beforeTokens = progress.usage.tokens;
  const requested: CompactRequestedEvent = {
    kind: 'compact_requested',
    goalId: goal.id,
    turnIndex: progress.totalTurns,
    focus: request.focus,
    tokenPressure: contextWindow > 0 ? (contextTokens ?? beforeTokens) / contextWindow : 0,
    beforeTokens,
    ageMinutes,
    trigger: request.trigger.kind,
  };
  return { kind: 'compact', focus: request.focus, beforeTokens, requested };
}
