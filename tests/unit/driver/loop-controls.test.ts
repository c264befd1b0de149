import { describe, expect, it } from 'vitest';
import { DriverControlError } from '../../../src/main/driver/orchestrator.js';
import { harness, harnessPerTest, npmTestFailure, settle } from './support/driver-harness.js';
import { done, outcome, untilStopped } from './support/scripted-runner.js';
import { continueBecause } from '../../../src/main/driver/turn-verdict.js';

const use = harnessPerTest();

const failure = npmTestFailure('FAIL src/a.test.ts\nexpected 2, got 3');

describe('GoalDriver controls', () => {
  it('pause holds between turns (the running turn finishes), resume continues', async () => {
    const t = use(harness([]));
    t.runner.steps.push(t.runner.gated(outcome({ kind: 'needs_retry', failures: [failure] })), done);
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    expect(t.driver.pause(t.goal.id)).toBe(true);
    expect(t.driver.pause(t.goal.id)).toBe(false);
    expect(t.driver.isPaused(t.goal.id)).toBe(true);
    await settle();
    t.runner.release();
    await t.events.waitFor('attempt_completed');
    await settle(20);
    expect(t.runner.calls).toHaveLength(1);
    expect(t.events.of('attempt_started')).toHaveLength(1);
    expect(t.driver.resume(t.goal.id)).toBe(true);
    expect(t.driver.resume(t.goal.id)).toBe(false);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(t.runner.calls).toHaveLength(2);
    expect(t.events.kinds()).toContain('goal_paused');
    expect(t.events.kinds().indexOf('goal_resumed')).toBeLessThan(t.events.kinds().lastIndexOf('attempt_started'));
  });

  it('cancel stops the running turn; the outcome is cancelled', async () => {
    const t = use(harness([untilStopped]));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    await settle();
    expect(t.driver.isTurnRunning(t.goal.id)).toBe(true);
    expect(t.driver.cancel(t.goal.id)).toBe(true);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'cancelled' });
    expect(t.runner.calls[0]?.stop.reason()).toBe('cancel');
    expect(t.events.kinds().at(-1)).toBe('goal_completed');
    expect(() => t.driver.cancel(t.goal.id)).toThrow(DriverControlError);
    expect(t.driver.isTurnRunning(t.goal.id)).toBe(false);
  });

  it('cancel wins over a stuck pause', async () => {
    const t = use(harness([done]));
    t.driver.preRegister(t.goal.id);
    t.driver.pause(t.goal.id);
    const running = t.driver.runGoal(t.goal);
    await settle(10);
    expect(t.runner.calls).toHaveLength(0);
    t.driver.cancel(t.goal.id);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'cancelled' });
    expect(result.totalTurns).toBe(0);
  });

  it('interrupt notes lead the next prompt in FIFO order', async () => {
    const t = use(harness([]));
    t.runner.steps.push(t.runner.gated(outcome({ kind: 'needs_retry', failures: [failure] })), done);
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    expect(t.driver.interrupt(t.goal.id, 'first note')).toBe(1);
    expect(t.driver.interrupt(t.goal.id, '  second note ')).toBe(2);
    expect(() => t.driver.interrupt(t.goal.id, '   ')).toThrow(/must not be empty/);
    await settle();
    t.runner.release();
    await running;
    expect(
      t.runner.prompts[1]?.startsWith(
        '[OPERATOR INTERRUPT]\nfirst note\nsecond note\n[END OPERATOR INTERRUPT]\n\nMake the tests pass.',
      ),
    ).toBe(true);
    expect(t.events.of('interrupt_queued').map((e) => [e.message, e.queueDepth, e.stopTurn])).toEqual([
      ['first note', 1, false],
      ['second note', 2, false],
    ]);
  });

  it('interrupt with stopTurn stops the running turn and the next turn starts with the note', async () => {
    const t = use(harness([untilStopped, done]));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    await settle();
    t.driver.interrupt(t.goal.id, 'use the other API', { stopTurn: true });
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(result.totalTurns).toBe(2);
    expect(t.runner.calls[0]?.stop.reason()).toBe('stop_turn');
    expect(t.runner.prompts[1]).toContain('[OPERATOR INTERRUPT]\nuse the other API\n[END OPERATOR INTERRUPT]');
    expect(t.events.of('replay_decision')[0]).toMatchObject({
      decision: { kind: 'next_turn', rollbackTo: null },
      errorMessage: 'stopped by operator',
    });
    expect(t.events.of('interrupt_queued')[0]).toMatchObject({ stopTurn: true });
  });

  it('a stop-turn interrupt during the pre-turn checkpoint: Claude does not run, the turn is not counted, its notes come back first', async () => {
    const t = use(harness([done]));
    t.driver.preRegister(t.goal.id);
    t.driver.interrupt(t.goal.id, 'early note');
    t.workspaces.beforeCheckpoint = async (turnIndex, phase) => {
      if (
        turnIndex === 0 &&
        phase === 'pre' &&
        t.workspaces.calls.filter((call) => call === 'checkpoint 0-pre').length === 1
      ) {
        t.driver.interrupt(t.goal.id, 'late note', { stopTurn: true });
      }
    };
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1 });
    expect(t.runner.calls).toHaveLength(1);
    expect(t.runner.prompts[0]).toContain('[OPERATOR INTERRUPT]\nearly note\nlate note\n[END OPERATOR INTERRUPT]');
    expect(t.runner.calls[0]?.stop.reason()).toBeNull();
    // The stopped turn is closed (not left running) and the retry has the same index.
    expect(t.events.of('attempt_started').map((e) => e.turnIndex)).toEqual([0, 0]);
    expect(t.events.of('attempt_completed').map((e) => [e.result.turnIndex, e.result.outcome.kind])).toEqual([
      [0, 'continue'],
      [0, 'done'],
    ]);
  });

  it('raiseTurnLimit grows the limit of a running goal and refuses a shrink', async () => {
    const t = use(
      harness([], {
        goal: { budget: { maxTurns: 1 } },
        fallback: outcome({ kind: 'needs_retry', failures: [failure] }),
      }),
    );
    t.runner.steps.push(t.runner.gated(outcome({ kind: 'needs_retry', failures: [failure] })));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    expect(() => t.driver.raiseTurnLimit(t.goal.id, 1)).toThrow(/only grows/);
    expect(t.driver.raiseTurnLimit(t.goal.id, 3)).toBe(3);
    expect(() => t.driver.raiseTurnLimit(t.goal.id, 2)).toThrow(DriverControlError);
    await settle();
    t.runner.release();
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
    expect(result.totalTurns).toBe(3);
    expect(t.events.of('turn_limit_raised')).toEqual([{ kind: 'turn_limit_raised', goalId: t.goal.id, maxTurns: 3 }]);
    expect(t.runner.prompts[2]).toContain('[Turn 3/3]');
  });

  it('controls on an unknown goal fail with not_found', () => {
    const t = use(harness([]));
    for (const call of [
      () => t.driver.pause(t.goal.id),
      () => t.driver.resume(t.goal.id),
      () => t.driver.cancel(t.goal.id),
      () => t.driver.interrupt(t.goal.id, 'x'),
      () => t.driver.raiseTurnLimit(t.goal.id, 5),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: 'not_found' }));
    }
  });

  it('a long sleep ends at once on cancel, and is cut short by a stop-turn interrupt', async () => {
    const t = use(
      harness([
        outcome({ kind: 'sleep', durationMs: 3_600_000, reason: 'nap' }),
        outcome({ kind: 'sleep', durationMs: 3_600_000, reason: 'nap' }),
      ]),
    );
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('sleep_started');
    t.driver.interrupt(t.goal.id, 'wake up', { stopTurn: true });
    await t.events.waitFor('sleep_started', () => t.events.of('sleep_started').length === 2);
    expect(t.runner.prompts[1]).toContain('wake up');
    t.driver.cancel(t.goal.id);
    expect((await running).outcome).toEqual({ kind: 'cancelled' });
  });

  it('notes of a turn that is retried in a fresh session are offered again', async () => {
    const t = use(harness([outcome(continueBecause('session_invalid')), done]));
    t.driver.preRegister(t.goal.id);
    t.driver.interrupt(t.goal.id, 'mind the tests');
    await t.driver.runGoal(t.goal);
    expect(t.runner.prompts[0]).toContain('[OPERATOR INTERRUPT]\nmind the tests\n');
    expect(t.runner.prompts[1]).toContain('[OPERATOR INTERRUPT]\nmind the tests\n');
  });

  it('a pre-registered goal honours a cancel signalled before runGoal', async () => {
    const t = use(harness([done]));
    t.driver.preRegister(t.goal.id);
    t.driver.cancel(t.goal.id);
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'cancelled' });
    expect(t.runner.calls).toHaveLength(0);
  });

  it('running the same goal twice at once is refused; shutdown cancels and awaits running goals', async () => {
    const t = use(harness([untilStopped]));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    await expect(t.driver.runGoal(t.goal)).rejects.toMatchObject({ code: 'conflict' });
    expect(t.driver.runningGoalIds()).toEqual([t.goal.id]);
    await t.driver.shutdown();
    expect(t.events.kinds().at(-1)).toBe('goal_completed');
    expect((await running).outcome).toEqual({ kind: 'cancelled' });
    await expect(t.driver.runGoal(t.goal)).rejects.toMatchObject({ code: 'failed_precondition' });
  });
});
