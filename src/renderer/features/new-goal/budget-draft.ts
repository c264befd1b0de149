// The budget as the operator types it (text fields) and its parsing into BudgetGuards, shared by
// the new-goal form and the default budget in Settings.
import type { BudgetGuards } from '../../../shared/domain/goal';
import { formatDuration, parseDuration } from '../../../shared/domain/duration';

export interface BudgetDraft {
  maxTurns: string;
  maxWallTime: string;
  maxTokens: string;
  maxCostUsd: string;
  maxConsecutiveDenies: string;
  maxConsecutiveErrors: string;
}

export type BudgetField = keyof BudgetDraft;

export function draftFromBudget(budget: BudgetGuards): BudgetDraft {
  return {
    maxTurns: String(budget.maxTurns),
    maxWallTime: formatDuration(budget.maxWallTimeMs),
    maxTokens: String(budget.maxTokens),
    maxCostUsd: budget.maxCostUsd === null ? '' : String(budget.maxCostUsd),
    maxConsecutiveDenies: String(budget.maxConsecutiveDenies),
    maxConsecutiveErrors: String(budget.maxConsecutiveErrors),
  };
}

export type BudgetParse =
  { ok: true; budget: BudgetGuards } | { ok: false; errors: Partial<Record<BudgetField, string>> };

function wholeNumber(
  text: string,
  label: string,
  errors: Partial<Record<BudgetField, string>>,
  field: BudgetField,
): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    errors[field] = `${label} must be a whole number`;
    return 0;
  }
  const value = Number(trimmed);
  // Past 2^53 a number is no longer exact, and the contract refuses it.
  if (!Number.isSafeInteger(value)) errors[field] = `${label} is too large`;
  return value;
}

/** Parses the draft; `base` supplies the axes the form does not show (consecutive 413s). */
export function parseBudgetDraft(draft: BudgetDraft, base: BudgetGuards): BudgetParse {
  const errors: Partial<Record<BudgetField, string>> = {};
  const maxTurns = wholeNumber(draft.maxTurns, 'Max turns', errors, 'maxTurns');
  const wall = parseDuration(draft.maxWallTime);
  if (!wall.ok) errors.maxWallTime = wall.error;
  else if (!Number.isSafeInteger(wall.ms)) errors.maxWallTime = 'Max wall time is too long';
  const maxTokens = wholeNumber(draft.maxTokens, 'Max tokens', errors, 'maxTokens');
  let maxCostUsd: number | null = null;
  if (draft.maxCostUsd.trim() !== '') {
    const cost = Number(draft.maxCostUsd.trim());
    if (!Number.isFinite(cost) || cost < 0)
      errors.maxCostUsd = 'Max cost must be a positive amount in USD, or empty for no cap';
    else maxCostUsd = cost;
  }
  const maxConsecutiveDenies = wholeNumber(
    draft.maxConsecutiveDenies,
    'Max consecutive denies',
    errors,
    'maxConsecutiveDenies',
  );
  const maxConsecutiveErrors = wholeNumber(
    draft.maxConsecutiveErrors,
    'Max consecutive errors',
    errors,
    'maxConsecutiveErrors',
  );
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    budget: {
      ...base,
      maxTurns,
      maxWallTimeMs: wall.ok ? wall.ms : 0,
      maxTokens,
      maxCostUsd,
      maxConsecutiveDenies,
      maxConsecutiveErrors,
    },
  };
}
