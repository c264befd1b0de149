// Proactive compaction with the real CLI: the context window comes from the CLI's own result line
// (modelUsage[model].contextWindow) and the fill from the last request's usage; a goal whose usage
// climbs past the threshold gets a `/compact` turn before its next work turn.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_COMPACTION } from '../../../src/main/driver/compact.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const never: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};
const auto = { ...DEFAULT_AUTO_COMPACTION, tokenPct: 0.8, minTurnsBetween: 1 };

describe('proactive compaction', () => {
  it('compacts before the next work turn once the context passes the threshold', async () => {
    d = await startRealDriver(
      (ctx) => {
        if (ctx.index === 0) return { text: 'small context', usage: { input_tokens: 2_000 } };
        if (ctx.index === 1) return { text: 'big context', usage: { input_tokens: 850_000 } };
        if (ctx.index === 2) return { text: 'SUMMARY: two turns of looking around', usage: { input_tokens: 850_000 } };
        return { text: 'after the compaction', usage: { input_tokens: 3_000 } };
      },
      { autoCompaction: auto },
    );
    const outcome = await d.driver.runGoal(d.goal({ acceptance: [never], budget: { maxTurns: 3 } }));
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 3 });
    expect(d.events.of('attempt_started').map((e) => [e.turnIndex, e.compact])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [2, false],
    ]);
    const [requested] = d.events.of('compact_requested');
    expect(requested).toMatchObject({ trigger: 'token_pressure', turnIndex: 2 });
    // The fill is the last request's size over the window the CLI reported (1M for its default model
    // here, 200k for others): well past 0.8 either way, and never the goal's cumulative tokens.
    expect(requested?.tokenPressure).toBeGreaterThanOrEqual(0.8);
    expect(d.model.requests[2]?.lastUserText).toContain('continue goal: Make the tests pass.');
    expect(d.model.requests[3]?.allUserText).toContain('SUMMARY: two turns of looking around');
    expect(d.events.of('compact_summary_stored')).toHaveLength(1);
    // After the compaction the fill is small again: no second compaction.
    expect(d.events.of('compact_requested')).toHaveLength(1);
  }, 300_000);

  it('stays quiet while the context is below the threshold', async () => {
    d = await startRealDriver(() => ({ text: 'still small', usage: { input_tokens: 5_000 } }), {
      autoCompaction: auto,
    });
    const outcome = await d.driver.runGoal(d.goal({ acceptance: [never], budget: { maxTurns: 2 } }));
    expect(outcome.totalTurns).toBe(2);
    expect(d.events.of('compact_requested')).toEqual([]);
    expect(d.events.of('attempt_started').some((e) => e.compact)).toBe(false);
  }, 300_000);
});
