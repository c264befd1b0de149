// The goal loop around stopping and waiting: a stop-turn that lands between the turn and a sleep, on a
// compact turn; compaction events only for compactions that happen; long sleeps; aborted permission
// requests; the turn timeout's retry-then-escalate path.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GoalState, MAX_TIMER_MS } from '../../../src/main/driver/goal-state.js';
import { turnTimeoutReason } from '../../../src/shared/domain/turn-timeout.js';
import { harness, harnessPerTest, npmTestFailure, settle } from './support/driver-harness.js';
import { done, outcome, untilStopped } from './support/scripted-runner.js';
import { continueBecause } from '../../../src/main/driver/turn-verdict.js';

const use = harnessPerTest();
afterEach(() => {
  vi.restoreAllMocks();
});

const failure = npmTestFailure();
const HOUR = 3_600_000;

describe('stop this turn: the races', () => {
  it('a stop-turn during the post-turn checkpoint is not forgotten by the sleep that follows', async () => {
    const t = use(harness([outcome({ kind: 'sleep', durationMs: HOUR, reason: 'waiting for CI' }), done]));
    t.workspaces.beforeCheckpoint = async (turnIndex, phase) => {
      if (turnIndex === 0 && phase === 'post') t.driver.interrupt(t.goal.id, 'CI is green, go on', { stopTurn: true });
    };
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
    expect(t.runner.prompts[1]).toContain('[OPERATOR INTERRUPT]\nCI is green, go on\n');
  });

  it('a stop-turn on a compact turn is not a compact failure and stores no summary', async () => {
    const t = use(harness([]));
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    t.runner.steps.push(outcome({ kind: 'escalate', reason: 'prompt is too long' }), untilStopped, done);
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started', (e) => e.compact);
    await settle();
    t.driver.interrupt(t.goal.id, 'skip the compaction', { stopTurn: true });
    const result = await running;
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1 });
    expect(t.runner.calls[1]).toMatchObject({ compact: true });
    expect(t.runner.prompts[2]).toContain('skip the compaction');
    expect(t.events.of('compact_completed')).toHaveLength(0);
    expect(t.events.of('compact_summary_stored')).toHaveLength(0);
    expect(t.summaries.stored).toHaveLength(0);
  });

  it('three compact turns stopped by the operator do not trip the compact breaker', async () => {
    const t = use(harness([], { goal: { budget: { maxConsecutive413: 10 } } }));
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    const stoppedCompact = () => ({ outcome: continueBecause('stopped_by_operator') });
    for (let i = 0; i < 3; i += 1)
      t.runner.steps.push(outcome({ kind: 'escalate', reason: 'prompt is too long' }), stoppedCompact);
    t.runner.steps.push(
      outcome({ kind: 'escalate', reason: 'prompt is too long' }),
      () => ({ outcome: { kind: 'done' }, compactSummary: 'the summary' }),
      done,
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'done' });
    // The fourth prompt-too-long still got its compact turn.
    expect(t.runner.calls.filter((call) => call.compact)).toHaveLength(4);
    expect(t.summaries.stored).toHaveLength(1);
  });
});

describe('compaction events', () => {
  it('compact_requested only when the compact turn starts: a scheduled compact replaced by a sleep wake is never announced', async () => {
    const t = use(
      harness([], {
        config: {
          contextWindow: 100,
          autoCompaction: { tokenPct: 0.5, maxAgeMinutes: 0, minTurnsBetween: 0, maxConsecutiveFailures: 3 },
        },
      }),
    );
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    t.runner.steps.push(
      () => ({
        outcome: { kind: 'sleep', durationMs: 1, reason: 'nap' },
        usageAfter: { ...t.runner.calls[0]!.usage, tokens: 90 },
      }),
      done,
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(t.runner.calls.some((call) => call.compact)).toBe(false);
    expect(t.events.of('compact_requested')).toHaveLength(0);
  });

  it('compact_requested is published right before its compact turn, with that turn index', async () => {
    const t = use(harness([]));
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    t.runner.steps.push(
      outcome({ kind: 'escalate', reason: 'prompt is too long' }),
      () => ({ outcome: { kind: 'done' }, compactSummary: 's' }),
      done,
    );
    await t.driver.runGoal(t.goal);
    const kinds = t.events.kinds();
    const requested = kinds.indexOf('compact_requested');
    expect(requested).toBeGreaterThan(kinds.indexOf('replay_decision'));
    expect(kinds[requested + 1]).toBe('attempt_started');
    expect(t.events.of('attempt_started')[1]).toMatchObject({ compact: true });
  });

  it('compact_summary_stored only when the summary was stored', async () => {
    const t = use(harness([]));
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    t.summaries.store = () => {
      throw new Error('disk full');
    };
    t.runner.steps.push(
      outcome({ kind: 'escalate', reason: 'prompt is too long' }),
      () => ({ outcome: { kind: 'done' }, compactSummary: 's' }),
      done,
    );
    await t.driver.runGoal(t.goal);
    expect(t.events.of('compact_completed')).toHaveLength(1);
    expect(t.events.of('compact_summary_stored')).toHaveLength(0);
    expect(t.events.of('driver_warning').map((e) => e.message)).toContain(
      'storing the compact summary failed: disk full',
    );
  });
});

describe('sleeping', () => {
  it('waits in chunks below 2^31-1 ms (Node turns longer timers into 1 ms)', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const state = new GoalState();
    const sleeping = state.sleep(30 * 24 * HOUR);
    await settle(1);
    const delays = spy.mock.calls.map((call) => call[1] ?? 0);
    expect(Math.max(...delays)).toBe(MAX_TIMER_MS);
    expect(MAX_TIMER_MS).toBeLessThan(2 ** 31 - 1);
    state.cancelled = true;
    state.notify();
    expect(await sleeping).toEqual({ kind: 'cancelled' });
  });

  it('a sleep is capped by the remaining wall budget, and counts as wall time', async () => {
    const t = use(
      harness([outcome({ kind: 'sleep', durationMs: 30 * 24 * HOUR, reason: 'see you next month' })], {
        goal: { budget: { maxWallTimeMs: 200 } },
      }),
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'wall_time' });
    const slept = t.events.of('sleep_started')[0]?.durationMs ?? -1;
    expect(slept).toBeGreaterThanOrEqual(0);
    expect(slept).toBeLessThanOrEqual(200);
  });
});

describe('permission requests that were aborted', () => {
  it('do not count toward the denies budget and do not reset it', async () => {
    const t = use(
      harness([], {
        goal: { budget: { maxConsecutiveDenies: 2 } },
        fallback: outcome({ kind: 'needs_retry', failures: [failure] }),
      }),
    );
    const deny = { behavior: 'deny' as const, message: 'no', interrupt: false };
    t.runner.steps.push(
      () => {
        t.permissions.decide(t.goal.id, deny);
        for (let i = 0; i < 5; i += 1)
          t.permissions.decide(
            t.goal.id,
            { ...deny, message: 'The permission bridge went away before a decision.' },
            { aborted: true },
          );
        return { outcome: { kind: 'needs_retry', failures: [failure] } };
      },
      () => {
        t.permissions.decide(t.goal.id, deny);
        return { outcome: { kind: 'needs_retry', failures: [failure] } };
      },
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'consecutive_denies' });
    expect(result.totalTurns).toBe(2);
  });
});

describe('turn timeout', () => {
  it('a timed-out turn is retried in a fresh session with rollback; a second timeout in a row escalates', async () => {
    const timeout = turnTimeoutReason(600_000);
    const t = use(
      harness([outcome(continueBecause('turn_timeout', timeout)), outcome(continueBecause('turn_timeout', timeout))]),
    );
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({
      kind: 'escalate',
      reason: `transient errors persist after 1 retries: ${timeout}`,
    });
    expect(t.events.of('replay_decision').map((e) => e.decision.kind)).toEqual(['fresh_session_retry', 'escalate']);
    expect(t.bindings.invalidated).toEqual([t.goal.id]);
    expect(t.workspaces.calls).toContain('rollback 01');
    expect(t.runner.calls.map((call) => call.turnIndex)).toEqual([0, 0]);
  });

  it('the attempt learns when the goal waits on the operator', async () => {
    const t = use(harness([done]));
    t.permissions.awaiting = true;
    await t.driver.runGoal(t.goal);
    expect(t.runner.calls[0]?.operator?.awaitingOperator()).toBe(true);
  });
});
