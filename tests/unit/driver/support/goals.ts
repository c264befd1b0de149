// Goal fixtures for driver tests.
import { randomUUID } from 'node:crypto';
import { DEFAULT_BUDGET, type BudgetGuards, type Goal } from '../../../../src/shared/domain/goal.js';

export function makeGoal(overrides: Partial<Omit<Goal, 'budget'>> & { budget?: Partial<BudgetGuards> } = {}): Goal {
  const { budget, ...rest } = overrides;
  return {
    id: randomUUID(),
    description: 'Make the tests pass.',
    acceptance: [],
    repoPath: '/tmp/repo',
    inPlace: false,
    model: null,
    permissionMode: 'allow-all',
    metadata: {},
    createdAt: new Date().toISOString(),
    ...rest,
    budget: { ...DEFAULT_BUDGET, ...budget },
  };
}
