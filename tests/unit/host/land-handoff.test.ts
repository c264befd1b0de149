// The budget a goal handed back to Claude runs with: at most the extension's turns from here; wall
// time, tokens and cost raised only when asked; a used-up axis without an extension refused, named.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, ZERO_USAGE } from '../../../src/shared/domain/goal.js';
import { extendedBudget } from '../../../src/main/host/land-handoff.js';
import { HostError } from '../../../src/main/host/command-error.js';

describe('extendedBudget', () => {
  it('allows exactly the extra turns from the turns so far (also below the old limit)', () => {
    expect(extendedBudget({ ...DEFAULT_BUDGET, maxTurns: 40 }, ZERO_USAGE, 2, { turns: 3 }).maxTurns).toBe(5);
    expect(extendedBudget({ ...DEFAULT_BUDGET, maxTurns: 4 }, ZERO_USAGE, 4, { turns: 1 }).maxTurns).toBe(5);
  });

  it('raises wall time, tokens and cost over what is used when asked, and keeps them otherwise', () => {
    const usage = { ...ZERO_USAGE, wallTimeMs: 3_600_000, tokens: 900, costUsd: 1.5 };
    const budget = { ...DEFAULT_BUDGET, maxWallTimeMs: 3_600_000, maxTokens: 1000, maxCostUsd: 1.5 };
    const next = extendedBudget(budget, usage, 1, { turns: 2, wallTimeMs: 600_000, costUsd: 0.5 });
    expect(next).toMatchObject({
      maxWallTimeMs: 4_200_000,
      maxTokens: 1000,
      maxCostUsd: 2,
      maxConsecutiveDenies: budget.maxConsecutiveDenies,
    });
    expect(extendedBudget({ ...DEFAULT_BUDGET, maxCostUsd: null }, ZERO_USAGE, 0, { turns: 1 }).maxCostUsd).toBeNull();
  });

  it('refuses, naming each axis, when one is used up and not extended', () => {
    const usage = { ...ZERO_USAGE, wallTimeMs: 3_600_000, tokens: 1000 };
    const budget = { ...DEFAULT_BUDGET, maxWallTimeMs: 3_600_000, maxTokens: 1000 };
    const refuse = () => extendedBudget(budget, usage, 3, { turns: 2 });
    expect(refuse).toThrow(HostError);
    expect(refuse).toThrow(/wall time \(1h.*\), tokens \(1000 of 1000\)/);
    expect(() => extendedBudget(budget, usage, 3, { turns: 2, wallTimeMs: 60_000, tokens: 500 })).not.toThrow();
  });
});
