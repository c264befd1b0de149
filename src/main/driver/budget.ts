// Budget checks (docs/driver.md, "Budgets"): which axis of a goal's budget is exhausted, first hit wins, in the
// fixed order of BUDGET_AXES (turns, wall time, tokens, cost, denies, errors, 413s), `>=` comparisons.
// Also the effective budget once an operator has raised the turn limit.
import type { BudgetAxis, BudgetGuards, BudgetUsage } from '../../shared/domain/goal.js';

/** The first exhausted axis, or null. Turns and denies have no zero guard (a cap of 0 exhausts at once). */
export function isExhausted(budget: BudgetGuards, usage: BudgetUsage): BudgetAxis | null {
  if (usage.turns >= budget.maxTurns) return 'turns';
  if (usage.wallTimeMs >= budget.maxWallTimeMs) return 'wall_time';
  if (usage.tokens >= budget.maxTokens) return 'tokens';
  if (budget.maxCostUsd !== null && usage.costUsd >= budget.maxCostUsd) return 'cost';
  if (usage.consecutiveDenies >= budget.maxConsecutiveDenies) return 'consecutive_denies';
  if (budget.maxConsecutiveErrors > 0 && usage.consecutiveErrors >= budget.maxConsecutiveErrors) {
    return 'consecutive_errors';
  }
  if (budget.maxConsecutive413 > 0 && usage.consecutive413 >= budget.maxConsecutive413) return 'consecutive_413';
  return null;
}

/** The goal's budget (or the operator's extension of it) with `maxTurns` raised to the operator's override (grow-only). */
export function effectiveBudget(budget: BudgetGuards, raisedMaxTurns: number | null): BudgetGuards {
  if (raisedMaxTurns === null || raisedMaxTurns <= budget.maxTurns) return budget;
  return { ...budget, maxTurns: raisedMaxTurns };
}
