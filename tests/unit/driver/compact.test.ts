import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CompactBreaker,
  DefaultCompactPolicy,
  compactFocus,
  type CompactContext,
} from '../../../src/main/driver/compact.js';
import { ZERO_USAGE } from '../../../src/shared/domain/goal.js';

const ctx = (over: Partial<CompactContext> & { tokens?: number } = {}): CompactContext => {
  const { tokens, ...rest } = over;
  return {
    goalId: randomUUID(),
    turnIndex: 6,
    usage: { ...ZERO_USAGE, tokens: tokens ?? 0 },
    contextWindow: 200_000,
    lastCompactTurn: null,
    goalDescription: 'Refactor the parser',
    sessionAgeMinutes: 0,
    auto: null,
    ...rest,
  };
};
const auto = { tokenPct: 0.8, maxAgeMinutes: 120, minTurnsBetween: 5, maxConsecutiveFailures: 3 };

describe('DefaultCompactPolicy', () => {
  const policy = new DefaultCompactPolicy();

  it('fires on token pressure over the 0.7 threshold with the goal focus', () => {
    const request = policy.classify(ctx({ tokens: 140_000 }));
    expect(request?.focus).toBe('continue goal: Refactor the parser');
    expect(request?.trigger).toEqual({ kind: 'token_pressure', pct: 0.7, tokensUsed: 140_000, contextWindow: 200_000 });
    expect(policy.classify(ctx({ tokens: 100_000 }))).toBeNull();
  });

  it('uses the auto threshold, and falls back to 0.7 when it is 0', () => {
    expect(policy.classify(ctx({ tokens: 150_000, auto }))).toBeNull();
    expect(policy.classify(ctx({ tokens: 170_000, auto }))?.trigger.kind).toBe('token_pressure');
    expect(policy.classify(ctx({ tokens: 140_000, auto: { ...auto, tokenPct: 0 } }))?.trigger.kind).toBe(
      'token_pressure',
    );
  });

  it('fires on age only with auto config and a non-zero max age; tokens win over age', () => {
    expect(policy.classify(ctx({ sessionAgeMinutes: 185, auto }))?.trigger).toEqual({
      kind: 'age',
      ageMinutes: 185,
      maxAgeMinutes: 120,
    });
    expect(policy.classify(ctx({ sessionAgeMinutes: 30, auto }))).toBeNull();
    expect(policy.classify(ctx({ sessionAgeMinutes: 185, auto: { ...auto, maxAgeMinutes: 0 } }))).toBeNull();
    expect(policy.classify(ctx({ sessionAgeMinutes: 185 }))).toBeNull();
    expect(policy.classify(ctx({ sessionAgeMinutes: 185, tokens: 190_000, auto }))?.trigger.kind).toBe(
      'token_pressure',
    );
  });

  it('is off when disabled or with no context window', () => {
    expect(new DefaultCompactPolicy({ enabled: false }).classify(ctx({ tokens: 199_000 }))).toBeNull();
    expect(policy.classify(ctx({ tokens: 199_000, contextWindow: 0 }))).toBeNull();
  });

  it('keeps the minimum gap between compactions (none before turn 5 by default)', () => {
    expect(policy.classify(ctx({ tokens: 199_000, turnIndex: 4 }))).toBeNull();
    expect(policy.classify(ctx({ tokens: 199_000, turnIndex: 8, lastCompactTurn: 6 }))).toBeNull();
    expect(policy.classify(ctx({ tokens: 199_000, turnIndex: 11, lastCompactTurn: 6 }))).not.toBeNull();
    expect(
      policy.classify(
        ctx({ tokens: 199_000, turnIndex: 9, lastCompactTurn: 6, auto: { ...auto, minTurnsBetween: 3 } }),
      ),
    ).not.toBeNull();
  });

  it('cuts the focus at 140 characters of the description', () => {
    expect(compactFocus('x'.repeat(500))).toBe(`continue goal: ${'x'.repeat(140)}`);
  });
});

describe('CompactBreaker', () => {
  it('trips after max failures, resets on success, never trips with max 0', () => {
    const breaker = new CompactBreaker();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.isTripped(3)).toBe(false);
    breaker.recordFailure();
    expect(breaker.isTripped(3)).toBe(true);
    expect(breaker.isTripped(0)).toBe(false);
    breaker.recordSuccess(7);
    expect(breaker.isTripped(3)).toBe(false);
    expect(breaker.lastCompactTurn).toBe(7);
  });

  it('is per goal: one breaker tripping leaves another untouched', () => {
    const a = new CompactBreaker();
    const b = new CompactBreaker();
    for (let i = 0; i < 3; i += 1) a.recordFailure();
    expect(a.isTripped(3)).toBe(true);
    expect(b.isTripped(3)).toBe(false);
  });
});
