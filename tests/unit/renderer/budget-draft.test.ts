// The budget as typed in the New goal form and Settings: a draft made from a budget parses back to
// it, each field says what is wrong with it (all at once), and whatever parses is a budget the
// contract accepts (BudgetGuardsSchema), edge values included.
import { describe, expect, it } from 'vitest';
import { BudgetGuardsSchema, DEFAULT_BUDGET, type BudgetGuards } from '../../../src/shared/domain/goal';
import {
  draftFromBudget,
  parseBudgetDraft,
  type BudgetDraft,
  type BudgetField,
} from '../../../src/renderer/features/new-goal/budget-draft';

const draft = (changes: Partial<BudgetDraft> = {}): BudgetDraft => ({ ...draftFromBudget(DEFAULT_BUDGET), ...changes });

function parsed(changes: Partial<BudgetDraft>, base: BudgetGuards = DEFAULT_BUDGET): BudgetGuards {
  const result = parseBudgetDraft(draft(changes), base);
  if (!result.ok) throw new Error(`expected a budget, got errors ${JSON.stringify(result.errors)}`);
  // What the form sends must be what the contract takes, unchanged.
  expect(BudgetGuardsSchema.parse(result.budget)).toEqual(result.budget);
  return result.budget;
}

function errorsOf(changes: Partial<BudgetDraft>): Partial<Record<BudgetField, string>> {
  const result = parseBudgetDraft(draft(changes), DEFAULT_BUDGET);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.budget)}`);
  return result.errors;
}

describe('draftFromBudget', () => {
  it('shows each axis as the operator types it: numbers, a duration, an empty cost for no cap', () => {
    expect(draftFromBudget(DEFAULT_BUDGET)).toEqual({
      maxTurns: '40',
      maxWallTime: '4h',
      maxTokens: '2000000',
      maxCostUsd: '',
      maxConsecutiveDenies: '3',
      maxConsecutiveErrors: '5',
    });
    expect(draftFromBudget({ ...DEFAULT_BUDGET, maxWallTimeMs: 5_400_000, maxCostUsd: 2.5 })).toMatchObject({
      maxWallTime: '1h 30m',
      maxCostUsd: '2.5',
    });
  });

  it('round-trips: a budget made into a draft parses back to the same budget', () => {
    const budgets: BudgetGuards[] = [
      DEFAULT_BUDGET,
      { ...DEFAULT_BUDGET, maxTurns: 1, maxWallTimeMs: 45_000, maxTokens: 0, maxCostUsd: 0.01 },
      { ...DEFAULT_BUDGET, maxWallTimeMs: 90_061_000, maxCostUsd: 0, maxConsecutiveDenies: 0, maxConsecutiveErrors: 0 },
      { ...DEFAULT_BUDGET, maxWallTimeMs: 250 },
    ];
    for (const budget of budgets)
      expect(parseBudgetDraft(draftFromBudget(budget), budget)).toEqual({ ok: true, budget });
  });
});

describe('parseBudgetDraft', () => {
  it('takes the axes the form does not show from the base budget', () => {
    const base = { ...DEFAULT_BUDGET, maxConsecutive413: 7 };
    expect(parsed({ maxTurns: '12' }, base)).toEqual({ ...base, maxTurns: 12 });
  });

  it('reads whole numbers with spaces around them, and 0 (an axis turned off)', () => {
    expect(
      parsed({ maxTurns: ' 7 ', maxTokens: '0', maxConsecutiveDenies: '0', maxConsecutiveErrors: '0' }),
    ).toMatchObject({
      maxTurns: 7,
      maxTokens: 0,
      maxConsecutiveDenies: 0,
      maxConsecutiveErrors: 0,
    });
  });

  it('reads the wall time as a duration: units, combinations, a bare number of seconds', () => {
    expect(parsed({ maxWallTime: '90m' }).maxWallTimeMs).toBe(5_400_000);
    expect(parsed({ maxWallTime: '1h 30m' }).maxWallTimeMs).toBe(5_400_000);
    expect(parsed({ maxWallTime: '1.5h' }).maxWallTimeMs).toBe(5_400_000);
    expect(parsed({ maxWallTime: '3600' }).maxWallTimeMs).toBe(3_600_000);
    expect(parsed({ maxWallTime: '250ms' }).maxWallTimeMs).toBe(250);
  });

  it('reads the cost in USD; empty is no cap, 0 is a cap of nothing', () => {
    expect(parsed({ maxCostUsd: '' }).maxCostUsd).toBeNull();
    expect(parsed({ maxCostUsd: '   ' }).maxCostUsd).toBeNull();
    expect(parsed({ maxCostUsd: ' 2.50 ' }).maxCostUsd).toBe(2.5);
    expect(parsed({ maxCostUsd: '0' }).maxCostUsd).toBe(0);
  });

  it('refuses what is not a whole number, naming the field', () => {
    for (const text of ['', '  ', '1.5', '-3', '+3', '3 turns', 'ten', '1e3']) {
      expect(errorsOf({ maxTurns: text }), JSON.stringify(text)).toEqual({
        maxTurns: 'Max turns must be a whole number',
      });
    }
    expect(errorsOf({ maxTokens: '2M' })).toEqual({ maxTokens: 'Max tokens must be a whole number' });
    expect(errorsOf({ maxConsecutiveDenies: '-1' })).toEqual({
      maxConsecutiveDenies: 'Max consecutive denies must be a whole number',
    });
    expect(errorsOf({ maxConsecutiveErrors: 'x' })).toEqual({
      maxConsecutiveErrors: 'Max consecutive errors must be a whole number',
    });
  });

  it('refuses a wall time that is not a duration, with the duration parser’s reason', () => {
    expect(errorsOf({ maxWallTime: '' })).toEqual({ maxWallTime: 'empty duration' });
    expect(errorsOf({ maxWallTime: 'soon' }).maxWallTime).toContain('cannot read duration "soon"');
    expect(errorsOf({ maxWallTime: '5 weeks' }).maxWallTime).toContain('cannot read duration');
  });

  it('refuses a negative or unreadable cost', () => {
    const message = 'Max cost must be a positive amount in USD, or empty for no cap';
    for (const text of ['-1', 'two dollars', '$2', 'Infinity', '1e400']) {
      expect(errorsOf({ maxCostUsd: text }), text).toEqual({ maxCostUsd: message });
    }
  });

  it('reports every wrong field at once', () => {
    expect(Object.keys(errorsOf({ maxTurns: 'a', maxWallTime: 'b', maxTokens: 'c', maxCostUsd: '-1' })).sort()).toEqual(
      ['maxCostUsd', 'maxTokens', 'maxTurns', 'maxWallTime'],
    );
  });

  it('refuses numbers too large to be exact, which the contract would reject', () => {
    expect(parsed({ maxTokens: String(Number.MAX_SAFE_INTEGER) }).maxTokens).toBe(Number.MAX_SAFE_INTEGER);
    expect(errorsOf({ maxTokens: '99999999999999999999' })).toEqual({ maxTokens: 'Max tokens is too large' });
    expect(errorsOf({ maxTurns: '9007199254740993' })).toEqual({ maxTurns: 'Max turns is too large' });
    expect(errorsOf({ maxWallTime: '99999999999999999h' })).toEqual({ maxWallTime: 'Max wall time is too long' });
  });
});
