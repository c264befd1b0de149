// After a `continue` or `escalate` outcome (docs/driver.md, "Replay"): a turn the operator stopped goes
// straight to the next turn; otherwise the replay policy decides, and this carries its decision out:
// forget the session and roll back (fresh session retry), uncount the turn and offer its notes again,
// schedule a compact turn after a prompt-too-long error, or stop the goal for a human.
import type { AttemptOutcome } from '../../shared/domain/goal.js';
import { compactFocus } from './compact.js';
import type { CompactRequestedEvent, GoalLoopContext, GoalProgress, NextTurn } from './goal-loop-context.js';
import { maxCompactFailures } from './loop-compaction.js';
import { isStoppedByOperator } from './turn-verdict.js';
import { errorText } from './error-text.js';

/** Stop the goal, or go on (with `next` replacing the scheduled turn when set). */
type ReplayResult = { kind: 'stop'; outcome: AttemptOutcome } | { kind: 'continue'; next: NextTurn | null };

/** Continue/Escalate through the replay policy (or straight to the next turn when the operator stopped it). */
export async function replay(
  ctx: GoalLoopContext,
  progress: GoalProgress,
  outcome: Extract<AttemptOutcome, { kind: 'continue' | 'escalate' }>,
  turnIndex: number,
  preCheckpoint: string | null,
  notes: string[],
): Promise<ReplayResult> {
  const { goal, state } = ctx;
  if (isStoppedByOperator(outcome)) {
    ctx.publish({
      kind: 'replay_decision',
      goalId: goal.id,
      turnIndex: progress.totalTurns,
      decision: { kind: 'next_turn', rollbackTo: null },
      errorMessage: outcome.reason,
    });
    return { kind: 'continue', next: null };
  }
  const decision = ctx.replay.classify({
    goalId: goal.id,
    turnIndex: progress.totalTurns,
    preTurnCheckpoint: preCheckpoint,
    usage: progress.usage,
    errorMessage: outcome.reason,
    cause: outcome.cause ?? null,
    hint: outcome.kind,
  });
  ctx.publish({
    kind: 'replay_decision',
    goalId: goal.id,
    turnIndex: progress.totalTurns,
    decision,
    errorMessage: outcome.reason,
  });
  const uncount = (): void => {
    progress.totalTurns = Math.max(0, progress.totalTurns - 1);
    progress.usage = { ...progress.usage, turns: progress.totalTurns };
    // The retried turn's notes were seen by a session that is now discarded or failed: offer them again.
    state.interrupts.unshift(...notes);
  };
  switch (decision.kind) {
    case 'fresh_session_retry':
      try {
        ctx.bindings.markInvalid(goal.id);
      } catch (error) {
        ctx.publish({
          kind: 'driver_warning',
          goalId: goal.id,
          message: `invalidating the session failed: ${errorText(error)}`,
        });
      }
      state.context.sessionReset();
      await rollback(ctx, turnIndex, decision.rollbackTo);
      progress.usage = { ...progress.usage, consecutiveErrors: progress.usage.consecutiveErrors + 1 };
      uncount();
      // The session is gone: a compact scheduled for it would have nothing to compact.
      return { kind: 'continue', next: { kind: 'work', tickPrompt: null } };
    case 'next_turn':
      await rollback(ctx, turnIndex, decision.rollbackTo);
      return { kind: 'continue', next: null };
    case 'compact_and_retry': {
      progress.usage = { ...progress.usage, consecutive413: progress.usage.consecutive413 + 1 };
      uncount();
      // A prompt-too-long result forces a compact turn (when the goal has a session and the breaker allows).
      if (state.breaker.isTripped(maxCompactFailures(ctx)) || ctx.bindings.get(goal.id) === null) {
        return { kind: 'continue', next: { kind: 'work', tickPrompt: null } };
      }
      const focus = compactFocus(goal.description);
      const requested: CompactRequestedEvent = {
        kind: 'compact_requested',
        goalId: goal.id,
        turnIndex: progress.totalTurns,
        focus,
        tokenPressure: ctx.contextWindow > 0 ? progress.usage.tokens / ctx.contextWindow : 0,
        beforeTokens: progress.usage.tokens,
        ageMinutes: Math.floor((Date.now() - ctx.startedAt) / 60_000),
        trigger: 'prompt_too_long',
      };
      return { kind: 'continue', next: { kind: 'compact', focus, beforeTokens: progress.usage.tokens, requested } };
    }
    case 'escalate':
      ctx.publish({ kind: 'escalate', goalId: goal.id, reason: decision.reason });
      return { kind: 'stop', outcome: { kind: 'escalate', reason: decision.reason } };
  }
}

async function rollback(ctx: GoalLoopContext, turnIndex: number, sha: string | null): Promise<void> {
  if (sha === null) return;
  try {
    await ctx.workspaces.rollback(ctx.workspace, sha);
    ctx.publish({ kind: 'rollback', goalId: ctx.goal.id, turnIndex, phase: 'pre', sha });
  } catch (error) {
    ctx.publish({
      kind: 'driver_warning',
      goalId: ctx.goal.id,
      message: `rollback of turn ${turnIndex} to ${sha} failed: ${errorText(error)}`,
    });
  }
}
