import { describe, expect, it } from 'vitest';
import { effectiveBudget, isExhausted } from '../../../src/main/driver/budget.js';
import { DEFAULT_BUDGET, ZERO_USAGE, type BudgetGuards, type BudgetUsage } from '../../../src/shared/domain/goal.js';

const budget: BudgetGuards = {
  maxTurns: 10,
  maxWallTimeMs: 60_000,
  maxTokens: 1000,
  maxCostUsd: 2,
  maxConsecutiveDenies: 3,
  maxConsecutiveErrors: 5,
  maxConsecutive413: 2,
};
const usage = (over: Partial<BudgetUsage>): BudgetUsage => ({ ...ZERO_USAGE, ...over });

describe('isExhausted', () => {
  it('fresh usage does not exhaust', () => {
    expect(isExhausted(budget, ZERO_USAGE)).toBeNull();
    expect(isExhausted(DEFAULT_BUDGET, ZERO_USAGE)).toBeNull();
  });

  it.each([
    ['turns', { turns: 10 }],
    ['wall_time', { wallTimeMs: 60_000 }],
    ['tokens', { tokens: 1000 }],
    ['cost', { costUsd: 2 }],
    ['consecutive_denies', { consecutiveDenies: 3 }],
    ['consecutive_errors', { consecutiveErrors: 5 }],
    ['consecutive_413', { consecutive413: 2 }],
  ] as const)('axis %s exhausts on its own at the cap (>=)', (axis, over) => {
    expect(isExhausted(budget, usage(over))).toBe(axis);
  });

  it('under every cap returns null', () => {
    expect(
      isExhausted(
        budget,
        usage({
          turns: 9,
          wallTimeMs: 59_999,
          tokens: 999,
          costUsd: 1.99,
          consecutiveDenies: 2,
          consecutiveErrors: 4,
          consecutive413: 1,
        }),
      ),
    ).toBeNull();
  });

  it('checks the axes in the fixed order: turns, wall, tokens, cost, denies, errors, 413', () => {
    const all = usage({
      turns: 10,
      wallTimeMs: 60_000,
      tokens: 1000,
      costUsd: 2,
      consecutiveDenies: 3,
      consecutiveErrors: 5,
      consecutive413: 2,
    });
    expect(isExhausted(budget, all)).toBe('turns');
    expect(isExhausted(budget, { ...all, turns: 0 })).toBe('wall_time');
    expect(isExhausted(budget, { ...all, turns: 0, wallTimeMs: 0 })).toBe('tokens');
    expect(isExhausted(budget, { ...all, turns: 0, wallTimeMs: 0, tokens: 0 })).toBe('cost');
    expect(isExhausted(budget, { ...all, turns: 0, wallTimeMs: 0, tokens: 0, costUsd: 0 })).toBe('consecutive_denies');
    expect(isExhausted(budget, { ...all, turns: 0, wallTimeMs: 0, tokens: 0, costUsd: 0, consecutiveDenies: 0 })).toBe(
      'consecutive_errors',
    );
  });

  it('a null cost cap never exhausts; a zero cost cap exhausts at once', () => {
    expect(isExhausted({ ...budget, maxCostUsd: null }, usage({ costUsd: 1e9 }))).toBeNull();
    expect(isExhausted({ ...budget, maxCostUsd: 0 }, ZERO_USAGE)).toBe('cost');
  });

  it('errors and 413 caps of 0 turn those axes off; turns and denies have no zero guard', () => {
    expect(isExhausted({ ...budget, maxConsecutiveErrors: 0 }, usage({ consecutiveErrors: 99 }))).toBeNull();
    expect(isExhausted({ ...budget, maxConsecutive413: 0 }, usage({ consecutive413: 99 }))).toBeNull();
    expect(isExhausted({ ...budget, maxConsecutive413: 2 }, usage({ consecutive413: 1 }))).toBeNull();
    expect(isExhausted({ ...budget, maxTurns: 0 }, ZERO_USAGE)).toBe('turns');
    expect(isExhausted({ ...budget, maxConsecutiveDenies: 0 }, ZERO_USAGE)).toBe('consecutive_denies');
  });
});

describe('effectiveBudget', () => {
  it('raises maxTurns only upwards and keeps the other axes', () => {
    expect(effectiveBudget(budget, null)).toEqual(budget);
    expect(effectiveBudget(budget, 5).maxTurns).toBe(10);
    expect(effectiveBudget(budget, 15)).toEqual({ ...budget, maxTurns: 15 });
  });
});
