// Pausing at a budget cap: a goal that pauses at caps (its `onBudget` is "pause") waits at a
// turns, wall-time, tokens or cost cap until the operator extends that axis ("+N and continue")
// or ends it ("End"); cancel ends the wait too. Safety breakers (consecutive denies, errors,
// prompt-too-long) always end the goal: more of them would not help.
import type { BudgetGuards, BudgetUsage, Goal } from '../../shared/domain/goal.js';
import { onBudgetOf } from '../../shared/domain/goal.js';
import { isExtendableAxis } from '../../shared/domain/budget-extension.js';
import type { BudgetAxis } from '../../shared/domain/goal.js';
import type { DriverEvent } from '../../shared/events.js';
import { isExhausted } from './budget.js';
import type { GoalState } from './goal-state.js';

export type CapDecision = 'extended' | 'end' | 'cancelled';

/** Whether this goal pauses (rather than ends) at a cap of `axis`. */
export function pausesAtCap(goal: Goal, axis: BudgetAxis): boolean {
  return onBudgetOf(goal) === 'pause' && isExtendableAxis(axis);
}

/**
 * Waits at the cap of `axis` (announced with `budget_paused`) until the budget in force
 * (`budgetNow`) no longer exhausts that axis, the operator ends the goal, or it is cancelled.
 */
export async function waitAtCap(
  goal: Goal,
  state: GoalState,
  axis: BudgetAxis,
  usage: BudgetUsage,
  budgetNow: () => BudgetGuards,
  publish: (event: DriverEvent) => void,
): Promise<CapDecision> {
  if (!isExtendableAxis(axis)) return 'end';
  state.atCap = axis;
  publish({ kind: 'budget_paused', goalId: goal.id, axis, usage, budget: budgetNow() });
  try {
    await state.waitAtCap(() => isExhausted(budgetNow(), usage) === axis);
  } finally {
    state.atCap = null;
  }
  if (state.cancelled) return 'cancelled';
  if (state.endAtCap) return 'end';
  publish({ kind: 'goal_resumed', goalId: goal.id });
  return 'extended';
}
