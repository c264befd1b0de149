// The turn loop of one goal (docs/driver.md, "The goal loop", gives the order and its reasons): pause
// wait, budget check (a goal that pauses at caps waits there for more or "End"), cancel check,
// attempt_started, pre-turn checkpoint, the attempt, post-turn checkpoint and diff, compact turns
// that do not count, progress beacons, compaction scheduling, the acceptance event and the outcome
// dispatch (done / needs_retry / sleep / replay policy).
import type { AcceptanceFailure, AttemptOutcome, AttemptResult, BudgetUsage } from '../../shared/domain/goal.js';
import { effectiveBudget, isExhausted } from './budget.js';
import { pausesAtCap, waitAtCap } from './budget-pause.js';
import type { GoalLoopContext, GoalProgress, NextTurn } from './goal-loop-context.js';
import { runTurn } from './goal-turn.js';
import { handleCompactTurn, scheduleCompaction } from './loop-compaction.js';
import { replay } from './loop-replay.js';
import { buildTickPrompt, compactPrompt, composeTurnPrompt } from './prompt.js';
import { sleepUntilWake } from './resume-sleep.js';

export async function runGoalLoop(ctx: GoalLoopContext, progress: GoalProgress): Promise<AttemptOutcome> {
  const { goal, state } = ctx;
  let next: NextTurn = { kind: 'work', tickPrompt: null };
  if (ctx.resumeSleep !== undefined && ctx.resumeSleep !== null) {
    const tick = await sleepUntilWake(goal.id, state, ctx.resumeSleep, ctx.publish);
    if (tick === null) return { kind: 'cancelled' };
    next = { kind: 'work', tickPrompt: tick };
  }
  let priorFailures: AcceptanceFailure[] = [];
  const storedSummary = ctx.compactSummaries?.load(goal.id)?.summary ?? null;
  let summaryOffered = false;

  for (;;) {
    // 1. Pause wait (cancel wins over a stuck pause).
    if (state.paused) releaseRunner(ctx);
    await state.waitWhilePaused();
    // 2. Budget check, then 3. cancel check.
    progress.usage = { ...progress.usage, turns: progress.totalTurns, consecutiveDenies: state.consecutiveDenies };
    const budgetNow = () => effectiveBudget(state.extendedBudget ?? goal.budget, state.raisedMaxTurns);
    const budget = budgetNow();
    const axis = isExhausted(budget, progress.usage);
    if (axis !== null) {
      if (pausesAtCap(goal, axis) && !state.cancelled) {
        releaseRunner(ctx);
        const decision = await waitAtCap(goal, state, axis, progress.usage, budgetNow, ctx.publish);
        if (decision === 'cancelled') return { kind: 'cancelled' };
        if (decision === 'extended') continue;
      }
      ctx.publish({ kind: 'budget_exhausted', goalId: goal.id, axis, usage: progress.usage });
      return { kind: 'budget_exhausted', axis };
    }
    if (state.cancelled) return { kind: 'cancelled' };

    // 4-5. The prompt (interrupts stay queued through a compact turn), then attempt_started.
    const turnIndex = progress.totalTurns;
    // After a rollback the session to compact is the rewound one, which only the next work turn creates.
    const rewind = ctx.rewinds?.pending(goal.id) ?? null;
    if (rewind !== null && next.kind === 'compact') next = { kind: 'work', tickPrompt: null };
    const compact = next.kind === 'compact';
    let notes: string[] = [];
    let prompt: string;
    if (next.kind === 'compact' && ctx.bindings.get(goal.id) === null) {
      // No session left to compact (e.g. it was invalidated since): no compact turn happens.
      next = { kind: 'work', tickPrompt: null };
      continue;
    }
    if (next.kind === 'compact') {
      prompt = compactPrompt(next.focus);
      // Announced when the compact turn really starts, with the turn it runs as.
      ctx.publish({ ...next.requested, turnIndex });
    } else {
      notes = state.interrupts.splice(0);
      state.stopPending = false; // a "stop this turn" for these notes is satisfied by this turn
      const offerSummary = !summaryOffered && storedSummary !== null && ctx.bindings.get(goal.id) === null;
      summaryOffered = true;
      prompt = composeTurnPrompt({
        description: goal.description,
        turnIndex,
        maxTurns: budget.maxTurns,
        priorFailures,
        operatorNotes: notes,
        tickPrompt: next.tickPrompt,
        compactSummary: offerSummary ? storedSummary : null,
        rollbackNote: rewind?.note ?? null,
      });
    }
    ctx.publish({ kind: 'attempt_started', goalId: goal.id, turnIndex, usage: progress.usage, compact, prompt });

    // 6-8. Checkpoint, attempt, checkpoint + diff.
    const { output, checkpoints, skipped } = await runTurn(ctx, turnIndex, prompt, compact, progress.usage);
    state.context.observe(output.context, compact);
    progress.usage = { ...output.usageAfter, turns: progress.totalTurns, consecutiveDenies: state.consecutiveDenies };
    const result = (usageAfter: BudgetUsage): AttemptResult => ({
      goalId: goal.id,
      turnIndex,
      outcome: output.outcome,
      usageAfter,
      acceptance: output.acceptance,
      finalText: output.finalText,
      sessionId: output.sessionId,
      turnTokens: output.turnTokens,
      turnCostUsd: output.turnCostUsd,
      permissionDenials: output.permissionDenials,
      preCheckpoint: checkpoints.pre,
      postCheckpoint: checkpoints.post,
      diffStat: checkpoints.diffStat,
    });

    // Stopped before Claude started: the turn is closed without counting and its notes go back first.
    if (skipped) {
      state.interrupts.unshift(...notes);
      ctx.publish({ kind: 'attempt_completed', goalId: goal.id, result: result(progress.usage) });
      continue;
    }

    // 11. Compact turns are meta: absorb tokens, do not count, no outcome processing.
    if (next.kind === 'compact') {
      handleCompactTurn(ctx, next.beforeTokens, turnIndex, output, result(progress.usage), progress.usage);
      next = { kind: 'work', tickPrompt: null };
      continue;
    }

    // 12-14. Count the turn, attempt_completed, progress beacon.
    progress.finalText = output.finalText;
    progress.lastAcceptance = output.acceptance;
    progress.totalTurns += 1;
    progress.usage = { ...progress.usage, turns: progress.totalTurns };
    ctx.publish({ kind: 'attempt_completed', goalId: goal.id, result: result(progress.usage) });
    if (ctx.progressEveryTurns > 0 && progress.totalTurns % ctx.progressEveryTurns === 0) {
      ctx.publish({
        kind: 'progress',
        goalId: goal.id,
        turnIndex: progress.totalTurns,
        usage: progress.usage,
        lastText: output.finalText,
      });
    }

    // 17. Compaction scheduling.
    next = { kind: 'work', tickPrompt: null };
    const scheduled = scheduleCompaction(ctx, progress);
    if (scheduled !== null) next = scheduled;

    // 18. Acceptance event.
    if (output.acceptance !== null) {
      ctx.publish({ kind: 'acceptance', goalId: goal.id, turnIndex, verdict: output.acceptance });
    }

    // 19. Outcome dispatch.
    const outcome = output.outcome;
    switch (outcome.kind) {
      case 'done':
        progress.usage = { ...progress.usage, consecutiveErrors: 0, consecutive413: 0 };
        return outcome;
      case 'needs_retry':
        progress.usage = { ...progress.usage, consecutiveErrors: 0, consecutive413: 0 };
        priorFailures = outcome.failures;
        continue;
      case 'sleep': {
        progress.usage = { ...progress.usage, consecutiveErrors: 0, consecutive413: 0 };
        priorFailures = [];
        // A sleep never outlasts the wall budget: the goal wakes when it runs out.
        const durationMs = Math.max(0, Math.min(outcome.durationMs, budget.maxWallTimeMs - progress.usage.wallTimeMs));
        ctx.publish({ kind: 'sleep_started', goalId: goal.id, durationMs, reason: outcome.reason });
        // A "stop this turn" that came while the turn was ending wakes the goal at once.
        const stopArrived = state.stopPending;
        state.stopPending = false;
        if (!stopArrived && durationMs > 0) releaseRunner(ctx);
        const wake = stopArrived ? ({ kind: 'woken', elapsedMs: 0 } as const) : await state.sleep(durationMs);
        if (wake.kind === 'cancelled') return { kind: 'cancelled' };
        // Time asleep is wall time of the goal.
        progress.usage = { ...progress.usage, wallTimeMs: progress.usage.wallTimeMs + wake.elapsedMs };
        // A sleep wake is a work turn: it does not inherit a compact request (a compact turn would waste the wake).
        next = { kind: 'work', tickPrompt: buildTickPrompt(outcome.reason, wake.elapsedMs) };
        continue;
      }
      case 'cancelled':
        return outcome;
      case 'budget_exhausted':
        ctx.publish({ kind: 'budget_exhausted', goalId: goal.id, axis: outcome.axis, usage: progress.usage });
        return outcome;
      case 'continue':
      case 'escalate': {
        priorFailures = [];
        const replayed = await replay(ctx, progress, outcome, turnIndex, checkpoints.pre, notes);
        if (replayed.kind === 'stop') return replayed.outcome;
        if (replayed.next !== null) next = replayed.next;
        continue;
      }
    }
  }
}

/**
 * The goal waits (paused, at a cap, asleep): the runner lets go of what it keeps between turns. Not
 * awaited, so that no control is missed meanwhile: the runner's next turn waits for the release itself.
 */
function releaseRunner(ctx: GoalLoopContext): void {
  ctx.runner.releaseGoal?.(ctx.goal.id).catch(() => undefined);
}
