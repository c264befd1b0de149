// One builder for the Goal records tests and benchmarks need: every field defaulted, any of them
// overridden, the budget merged over DEFAULT_BUDGET. Also the in-place Workspace the permission
// tests open goals with.
import { randomUUID } from 'node:crypto';
import { DEFAULT_BUDGET, type BudgetGuards, type Goal } from '../../src/shared/domain/goal.js';
import type { Workspace } from '../../src/main/driver/ports.js';

export type GoalOverrides = Partial<Omit<Goal, 'budget'>> & { budget?: Partial<BudgetGuards> };

export function testGoal(overrides: GoalOverrides = {}): Goal {
  const { budget, ...rest } = overrides;
  return {
    id: randomUUID(),
    description: 'test goal',
    acceptance: [],
    repoPath: '/tmp/repo',
    inPlace: false,
    model: null,
    permissionMode: 'ask',
    metadata: {},
    createdAt: new Date().toISOString(),
    ...rest,
    budget: { ...DEFAULT_BUDGET, ...budget },
  };
}

/** The goal's repository's own tree as its workspace (no git worktree). */
export function inPlaceWorkspace(goal: Goal): Workspace {
  return {
    goalId: goal.id,
    path: goal.repoPath,
    repoPath: goal.repoPath,
    kind: 'in_place',
    branch: null,
    baseCommit: null,
  };
}
