// Each budget axis ends a goal run through the real CLI: turns, wall time, tokens, cost (from
// total_cost_usd), consecutive denies (counted from the real permission path), consecutive errors
// (fresh-session retries) and consecutive prompt-too-long results.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AcceptanceCriterion, BudgetGuards } from '../../../src/shared/domain/goal.js';
import type { FakeScript } from '../../fake-model/server.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const neverMet: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};
const text: FakeScript = () => ({ text: 'working on it' });

async function runWith(
  budget: Partial<BudgetGuards>,
  script: FakeScript = text,
  prepare?: (goalId: string, driver: RealDriver) => void,
  permissionMode: 'allow-all' | 'deny' = 'allow-all',
) {
  d = await startRealDriver(script);
  const goal = d.goal({ acceptance: [neverMet], budget, permissionMode });
  prepare?.(goal.id, d);
  const outcome = await d.driver.runGoal(goal);
  return { outcome, events: d.events };
}

describe('budget axes with the real CLI', () => {
  it('turns', async () => {
    const { outcome, events } = await runWith({ maxTurns: 2 });
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 2 });
    expect(events.of('budget_exhausted')).toMatchObject([{ axis: 'turns', usage: { turns: 2 } }]);
  });

  it('wall time (sum of turn durations)', async () => {
    const { outcome } = await runWith({ maxWallTimeMs: 1 });
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'wall_time' }, totalTurns: 1 });
    expect(outcome.usage.wallTimeMs).toBeGreaterThan(0);
  });

  it('tokens (input + output + cache read of the result line)', async () => {
    const { outcome } = await runWith({ maxTokens: 100 });
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'tokens' }, totalTurns: 1 });
    expect(outcome.usage.tokens).toBeGreaterThanOrEqual(100);
  });

  it('cost (total_cost_usd)', async () => {
    const { outcome } = await runWith({ maxCostUsd: 0.0001 });
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'cost' }, totalTurns: 1 });
    expect(outcome.usage.costUsd).toBeGreaterThan(0.0001);
  });

  it('consecutive denies from the permission path', async () => {
    const { outcome, events } = await runWith(
      { maxConsecutiveDenies: 1 },
      (ctx) =>
        ctx.index === 0
          ? { toolUses: [{ name: 'Write', input: { file_path: 'x.txt', content: 'x' } }] }
          : { text: 'denied, giving up this turn' },
      undefined,
      'deny',
    );
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'consecutive_denies' }, totalTurns: 1 });
    expect(events.of('permission_decided')).toMatchObject([{ toolName: 'Write', decision: { behavior: 'deny' } }]);
    expect(events.of('attempt_completed')[0]?.result.permissionDenials).toBe(1);
  });

  it('consecutive errors (fresh-session retries in a row)', async () => {
    const { outcome } = await runWith({ maxConsecutiveErrors: 1 }, text, (goalId, driver) =>
      driver.bindings.upsert({ goalId, sessionId: randomUUID(), model: null, workspace: null }),
    );
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'consecutive_errors' }, totalTurns: 0 });
  });

  it('consecutive prompt-too-long results', async () => {
    const { outcome } = await runWith({ maxConsecutive413: 1 }, () => ({
      httpError: {
        status: 400,
        type: 'invalid_request_error',
        message: 'prompt is too long: 250000 tokens > 200000 maximum',
      },
    }));
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'consecutive_413' }, totalTurns: 0 });
  });
});
