// Budgets that pause and ask: a goal whose onBudget is "pause" waits at a turns/tokens cap until the
// operator extends that axis or ends it; cancel ends the wait; safety breakers still end the goal;
// a goal without the choice (older goals, `overseer run`'s default) ends at once as before.
import { describe, expect, it } from 'vitest';
import { DriverControlError } from '../../../src/main/driver/orchestrator.js';
import { harness, harnessPerTest, npmTestFailure, settle } from './support/driver-harness.js';
import { done, outcome } from './support/scripted-runner.js';

const use = harnessPerTest();

const failure = npmTestFailure();
const retry = outcome({ kind: 'needs_retry', failures: [failure] });

describe('pause at a budget cap', () => {
  it('waits at the turns cap; +N and continue runs more turns and the goal can finish', async () => {
    const t = use(harness([retry, retry, done], { goal: { onBudget: 'pause', budget: { maxTurns: 2 } } }));
    const running = t.driver.runGoal(t.goal);
    const paused = await t.events.waitFor('budget_paused');
    expect(paused).toMatchObject({ axis: 'turns', usage: { turns: 2 }, budget: { maxTurns: 2 } });
    expect(t.driver.capOf(t.goal.id)).toBe('turns');
    expect(t.runner.calls).toHaveLength(2);
    expect(() => t.driver.resume(t.goal.id)).toThrow(/waits at its turns cap/);
    const budget = t.driver.extendBudget(t.goal.id, { turns: 3 }, { ...paused.usage });
    expect(budget.maxTurns).toBe(5);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(result.totalTurns).toBe(3);
    const kinds = t.events.kinds();
    expect(kinds.indexOf('budget_extended')).toBeLessThan(kinds.indexOf('goal_resumed'));
    expect(kinds).not.toContain('budget_exhausted');
    expect(t.driver.capOf(t.goal.id)).toBeNull();
  });

  it('"End" at the cap ends the goal budget-exhausted', async () => {
    const t = use(harness([retry], { goal: { onBudget: 'pause', budget: { maxTurns: 1 } } }));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('budget_paused');
    t.driver.endAtCap(t.goal.id);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
    expect(t.events.of('budget_exhausted')).toHaveLength(1);
  });

  it('pauses at the tokens cap too; an extension of another axis leaves it waiting', async () => {
    const t = use(harness([retry, done], { goal: { onBudget: 'pause', budget: { maxTokens: 10 } } }));
    const running = t.driver.runGoal(t.goal);
    const paused = await t.events.waitFor('budget_paused');
    expect(paused.axis).toBe('tokens');
    t.driver.extendBudget(t.goal.id, { turns: 5 }, paused.usage);
    await settle(10);
    expect(t.runner.calls).toHaveLength(1);
    expect(t.driver.capOf(t.goal.id)).toBe('tokens');
    t.driver.extendBudget(t.goal.id, { tokens: 100 }, paused.usage);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(t.runner.calls).toHaveLength(2);
  });

  it('cancel ends the wait at a cap', async () => {
    const t = use(harness([retry], { goal: { onBudget: 'pause', budget: { maxTurns: 1 } } }));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('budget_paused');
    t.driver.cancel(t.goal.id);
    expect((await running).outcome).toEqual({ kind: 'cancelled' });
  });

  it('raising the turn limit also lifts a turns cap', async () => {
    const t = use(harness([retry, done], { goal: { onBudget: 'pause', budget: { maxTurns: 1 } } }));
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('budget_paused');
    t.driver.raiseTurnLimit(t.goal.id, 2);
    expect((await running).outcome).toEqual({ kind: 'done' });
  });

  it('safety breakers (consecutive denies) still end a goal that pauses at caps', async () => {
    const t = use(harness([retry], { goal: { onBudget: 'pause', budget: { maxConsecutiveDenies: 0 } } }));
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'consecutive_denies' });
    expect(t.events.of('budget_paused')).toHaveLength(0);
  });

  it('a goal without the choice ends at the cap as before', async () => {
    const t = use(harness([retry], { goal: { budget: { maxTurns: 1 } } }));
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
    expect(t.events.of('budget_paused')).toHaveLength(0);
  });

  it('refuses "End" when the goal is not at a cap, and an empty extension', async () => {
    const t = use(harness([], { goal: { onBudget: 'pause' } }));
    t.runner.steps.push(t.runner.gated(retry), done);
    const running = t.driver.runGoal(t.goal);
    await t.events.waitFor('attempt_started');
    expect(() => t.driver.endAtCap(t.goal.id)).toThrow(DriverControlError);
    expect(() =>
      t.driver.extendBudget(
        t.goal.id,
        {},
        {
          turns: 0,
          wallTimeMs: 0,
          tokens: 0,
          costUsd: 0,
          consecutiveDenies: 0,
          consecutiveErrors: 0,
          consecutive413: 0,
        },
      ),
    ).toThrow(/how much/);
    await settle();
    t.runner.release();
    expect((await running).outcome).toEqual({ kind: 'done' });
  });

  it('notes given at the start lead the first prompt', async () => {
    const t = use(harness([done]));
    await t.driver.runGoal(t.goal, { notes: ['also update the docs'] });
    expect(t.runner.calls[0]?.prompt).toContain('also update the docs');
  });
});
