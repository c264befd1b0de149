import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/main/cli/run.js';
import { ZERO_USAGE, type AttemptOutcome, type GoalOutcome } from '../../../src/shared/domain/goal.js';

const outcome = (attempt: AttemptOutcome, error: string | null = null): GoalOutcome => ({
  goalId: '4c5e2c1e-8a0f-4e7e-9d55-7f7c3f0c6a11',
  outcome: attempt,
  error,
  totalTurns: 1,
  usage: ZERO_USAGE,
  finalText: null,
  acceptance: null,
  elapsedMs: 1,
});

describe('overseer run exit codes', () => {
  it('maps every way a goal ends', () => {
    expect(exitCodeFor(outcome({ kind: 'done' }))).toBe(0);
    expect(exitCodeFor(outcome({ kind: 'budget_exhausted', axis: 'cost' }))).toBe(2);
    expect(exitCodeFor(outcome({ kind: 'escalate', reason: 'stuck' }))).toBe(3);
    expect(exitCodeFor(outcome({ kind: 'needs_retry', failures: [] }))).toBe(3);
    expect(exitCodeFor(outcome({ kind: 'cancelled' }))).toBe(130);
    expect(exitCodeFor(outcome({ kind: 'escalate', reason: 'driver error: x' }, 'workspace failed'))).toBe(1);
  });
});
