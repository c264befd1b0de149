// Projections of budgets that pause and ask: budget_paused marks the goal paused at that cap (and
// its usage), goal_resumed and goal_completed clear it, budget_extended rewrites the stored budget,
// goal_continued reopens an ended goal (resumable, its outcome cleared); setStatus keeps a cap.
import { afterEach, describe, expect, it } from 'vitest';
import { goalOutcome, makeGoal, tempStores, usage } from './helpers.js';

type Harness = ReturnType<typeof tempStores>;
let harness: Harness | null = null;
afterEach(() => {
  harness?.cleanup();
  harness = null;
});

describe('budget projections', () => {
  it('paused at a cap, resumed, extended, completed', () => {
    harness = tempStores();
    const { stores } = harness;
    const goal = makeGoal();
    stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    stores.events.append({
      kind: 'budget_paused',
      goalId: goal.id,
      axis: 'tokens',
      usage: usage({ turns: 2, tokens: 900 }),
      budget: goal.budget,
    });
    expect(stores.goals.summary(goal.id)).toMatchObject({
      status: 'paused',
      pausedAtCap: 'tokens',
      tokens: 900,
      totalTurns: 2,
    });
    expect(stores.goals.get(goal.id)?.pausedAtCap).toBe('tokens');

    stores.events.append({ kind: 'budget_extended', goalId: goal.id, budget: { ...goal.budget, maxTokens: 5000 } });
    expect(stores.goals.get(goal.id)?.goal.budget.maxTokens).toBe(5000);
    stores.events.append({ kind: 'goal_resumed', goalId: goal.id });
    expect(stores.goals.summary(goal.id)).toMatchObject({ status: 'running', pausedAtCap: null });

    stores.events.append({
      kind: 'budget_paused',
      goalId: goal.id,
      axis: 'turns',
      usage: usage({ turns: 3 }),
      budget: goal.budget,
    });
    // The host's own move at shutdown keeps the cap of a goal that waits at one.
    stores.goals.setStatus(goal.id, 'paused', 'turns');
    expect(stores.goals.summary(goal.id)?.pausedAtCap).toBe('turns');
    stores.events.append({
      kind: 'goal_completed',
      goalId: goal.id,
      outcome: goalOutcome(goal.id, { outcome: { kind: 'budget_exhausted', axis: 'turns' } }),
    });
    expect(stores.goals.summary(goal.id)).toMatchObject({ status: 'budget_exhausted', pausedAtCap: null });

    stores.events.append({
      kind: 'goal_continued',
      goalId: goal.id,
      note: 'go on',
      budget: { ...goal.budget, maxTurns: 9 },
    });
    const record = stores.goals.get(goal.id);
    expect(record).toMatchObject({ status: 'interrupted', outcome: null, endedAt: null });
    expect(record?.goal.budget.maxTurns).toBe(9);
  });
});
