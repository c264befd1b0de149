// The turn loop of one goal (docs/driver.md, "The goal loop", gives the order and its reasons): pause
// wait, budget check (a goal that pauses at caps waits there for more or "End"), cancel check,
// attempt_started, pre-turn checkpoint, the attempt, post-turn checkpoint and diff, compact turns
// that do not count, progress beacons, compaction scheduling, the acceptance event and the outcome
// dispatch (done / needs_retry / sleep / replay policy).
import type {
  AcceptanceFailure,
  AcceptanceVerdict,
  AttemptOutcome,
  AttemptResult,
  BudgetUsage,
  DiffStat,
  Goal,
} from '../../shared/domain/goal.js';
import type { DriverEvent } from '../../shared/events.js';
import { emptyOutput, TurnStop, type AttemptRunner, type AttemptRunOutput, type OperatorWait } from './attempt.js';
import { effectiveBudget, isExhausted } from './budget.js';
import { pausesAtCap, waitAtCap } from './budget-pause.js';
import { compactFocus, type AutoCompactionConfig, type CompactPolicy } from './compact.js';
import type { GoalState } from './goal-state.js';
import type {
  CompactSummaryStore,
  PermissionGoalHandle,
  SessionBindingStore,
  SessionRewindStore,
  Workspace,
  WorkspacePort,
} from './ports.js';
import { buildTickPrompt, compactPrompt, composeTurnPrompt } from './prompt.js';
import type { ReplayPolicy } from './replay.js';
import { sleepUntilWake, type ResumedSleep } from './resume-sleep.js';
import { continueBecause, isStoppedByOperator } from './turn-verdict.js';

export interface GoalLoopContext {
  goal: Goal;
  state: GoalState;
  workspace: Workspace;
  permission: PermissionGoalHandle;
  mcpConfigPath: string | null;
  runner: AttemptRunner;
  publish: (event: DriverEvent) => void;
  bindings: SessionBindingStore;
  workspaces: WorkspacePort;
  compactSummaries: CompactSummaryStore | null;
  replay: ReplayPolicy;
  compactPolicy: CompactPolicy;
  autoCompaction: AutoCompactionConfig | null;
  contextWindow: number;
  progressEveryTurns: number;
  startedAt: number;
  /** Reattached after a restart while sleeping: sleep on until the wake time first. */
  resumeSleep?: ResumedSleep | null;
  /** Rewinds left by a rollback (the next work turn carries the note; the attempt forks the session). */
  rewinds?: SessionRewindStore | null;
}

/** What the loop has done so far; the driver reads it to build the GoalOutcome, also after a throw. */
export interface GoalProgress {
  usage: BudgetUsage;
  totalTurns: number;
  finalText: string | null;
  lastAcceptance: AcceptanceVerdict | null;
}

type NextTurn =
  | { kind: 'work'; tickPrompt: string | null }
  | { kind: 'compact'; focus: string; beforeTokens: number; requested: CompactRequestedEvent };

type CompactRequestedEvent = Extract<DriverEvent, { kind: 'compact_requested' }>;

interface Checkpoints {
  pre: string | null;
  post: string | null;
  diffStat: DiffStat | null;
}

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
    await state.waitWhilePaused();
    // 2. Budget check, then 3. cancel check.
    progress.usage = { ...progress.usage, turns: progress.totalTurns, consecutiveDenies: state.consecutiveDenies };
    const budgetNow = () => effectiveBudget(state.extendedBudget ?? goal.budget, state.raisedMaxTurns);
    const budget = budgetNow();
    const axis = isExhausted(budget, progress.usage);
    if (axis !== null) {
      if (pausesAtCap(goal, axis) && !state.cancelled) {
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

async function runTurn(
  ctx: GoalLoopContext,
  turnIndex: number,
  prompt: string,
  compact: boolean,
  usage: BudgetUsage,
): Promise<{ output: AttemptRunOutput; checkpoints: Checkpoints; skipped: boolean }> {
  const { goal, state } = ctx;
  const checkpoints: Checkpoints = { pre: null, post: null, diffStat: null };
  const takeCheckpoints = !compact && ctx.workspace.kind !== 'no_git';
  state.turnActive = true;
  const stop = new TurnStop();
  try {
    if (takeCheckpoints) checkpoints.pre = await checkpoint(ctx, turnIndex, 'pre', null);
    // A "stop this turn" that arrived while the turn was being prepared (its note is not in this
    // prompt): the turn does not start, the caller offers its notes again with the new one. A compact
    // turn keeps it for the work turn that carries the note.
    if (state.stopPending && !compact && !state.cancelled) {
      state.stopPending = false;
      return { output: skippedOutput(usage), checkpoints, skipped: true };
    }
    if (state.cancelled) stop.stop('cancel');
    state.currentTurn = stop;
    ctx.permission.setTurn(turnIndex);
    // The post-turn checkpoint starts as soon as Claude is done, so its commit, ref, diff and event
    // overlap the acceptance checks. Checks that can write files (shell commands) wait until the
    // working tree has been read: the checkpoint holds the turn's files, never half of what a
    // check wrote, and every check sees the turn's files exactly as before.
    let post: Promise<string | null> | null = null;
    const startPost = (): Promise<void> => {
      if (!takeCheckpoints || post !== null) return Promise.resolve();
      let snapshotRead: () => void = () => undefined;
      const read = new Promise<void>((resolve) => (snapshotRead = resolve));
      post = checkpoint(ctx, turnIndex, 'post', checkpoints, snapshotRead);
      if (!acceptanceMayWrite(goal)) return Promise.resolve();
      return Promise.race([read, post.then(() => undefined)]);
    };
    let output: AttemptRunOutput;
    try {
      output = await ctx.runner.run({
        goal,
        workspace: ctx.workspace,
        turnIndex,
        usage,
        prompt,
        compact,
        mcpConfigPath: ctx.mcpConfigPath,
        stop,
        operator: operatorWait(ctx),
        beforeAcceptance: startPost,
      });
    } finally {
      state.currentTurn = null;
      ctx.permission.setTurn(null);
    }
    if (takeCheckpoints) checkpoints.post = await (post ?? checkpoint(ctx, turnIndex, 'post', checkpoints));
    return { output, checkpoints, skipped: false };
  } finally {
    state.turnActive = false;
  }
}

/** True when a check of the goal may write to the working tree (a shell command may; the others only read). */
function acceptanceMayWrite(goal: Goal): boolean {
  return goal.acceptance.some((criterion) => criterion.kind === 'shell_command');
}

/** Takes a snapshot and publishes a `checkpoint` event; a failure is a warning and gives null. */
async function checkpoint(
  ctx: GoalLoopContext,
  turnIndex: number,
  phase: 'pre' | 'post',
  pre: Checkpoints | null,
  onSnapshot?: () => void,
): Promise<string | null> {
  try {
    const cp = await ctx.workspaces.checkpoint(
      ctx.workspace,
      turnIndex,
      phase,
      onSnapshot === undefined ? undefined : { onSnapshot },
    );
    let diffStat: DiffStat | null = null;
    if (pre !== null && pre.pre !== null) {
      try {
        diffStat = await ctx.workspaces.diffStat(ctx.workspace, pre.pre, cp.sha);
        pre.diffStat = diffStat;
      } catch (error) {
        ctx.publish({
          kind: 'driver_warning',
          goalId: ctx.goal.id,
          message: `diff of turn ${turnIndex} failed: ${errorText(error)}`,
        });
      }
    }
    ctx.publish({ kind: 'checkpoint', goalId: ctx.goal.id, turnIndex, phase, ref: cp.ref, sha: cp.sha, diffStat });
    return cp.sha;
  } catch (error) {
    ctx.publish({
      kind: 'driver_warning',
      goalId: ctx.goal.id,
      message: `${phase}-turn checkpoint of turn ${turnIndex} failed: ${errorText(error)}`,
    });
    return null;
  }
}

function handleCompactTurn(
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

function maxCompactFailures(ctx: GoalLoopContext): number {
  return ctx.autoCompaction?.maxConsecutiveFailures ?? 3;
}

function scheduleCompaction(ctx: GoalLoopContext, progress: GoalProgress): NextTurn | null {
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

/** Stop the goal, or go on (with `next` replacing the scheduled turn when set). */
type ReplayResult = { kind: 'stop'; outcome: AttemptOutcome } | { kind: 'continue'; next: NextTurn | null };

/** Continue/Escalate through the replay policy (or straight to the next turn when the operator stopped it). */
async function replay(
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

/** The output of a turn that was stopped before Claude started: nothing ran, nothing was used. */
function skippedOutput(usage: BudgetUsage): AttemptRunOutput {
  return { ...emptyOutput(usage), outcome: continueBecause('stopped_by_operator') };
}

/** What the attempt needs to know about operator waits of the goal (its idle clock stops meanwhile). */
function operatorWait(ctx: GoalLoopContext): OperatorWait {
  const permission = ctx.permission;
  return {
    awaitingOperator: () => permission.awaitingOperator?.() ?? false,
    onDecision: (listener) => permission.onDecision(() => listener()),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
