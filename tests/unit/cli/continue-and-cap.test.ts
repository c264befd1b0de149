// `overseer continue` and `overseer run --on-budget` flags, the shared budget-extension arithmetic,
// and the terminal's question at a cap (answered, ended, withdrawn when answered elsewhere).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseContinueOptions } from '../../../src/main/cli/continue-command.js';
import { parseRunOptions } from '../../../src/main/cli/run-options.js';
import { createBudgetPrompt } from '../../../src/main/cli/budget-prompt.js';
import { UsageError } from '../../../src/main/cli/usage.js';
import { extendBudget, parseAxisAmount } from '../../../src/shared/domain/budget-extension.js';
import { DEFAULT_BUDGET, ZERO_USAGE } from '../../../src/shared/domain/goal.js';
import type { DriverEvent } from '../../../src/shared/events.js';

const goalId = '11111111-2222-4333-8444-555555555555';

describe('overseer continue options', () => {
  it('takes GOAL, the note and the extension flags', () => {
    expect(
      parseContinueOptions([
        'ab12',
        'add the docs',
        '--turns',
        '5',
        '--wall-time',
        '30m',
        '--tokens',
        '200000',
        '--cost',
        '1.5',
      ]),
    ).toMatchObject({
      goal: 'ab12',
      note: 'add the docs',
      extension: { turns: 5, wallTimeMs: 1_800_000, tokens: 200_000, costUsd: 1.5 },
    });
    expect(parseContinueOptions(['ab12', 'go on'])).toMatchObject({ extension: {} });
  });

  it('names what is wrong', () => {
    expect(() => parseContinueOptions([])).toThrow(/which goal/);
    expect(() => parseContinueOptions(['ab12'])).toThrow(/a note is required/);
    expect(() => parseContinueOptions(['ab12', 'note', '--turns', '0'])).toThrow(
      /--turns must be a whole number \(at least 1\)/,
    );
    expect(() => parseContinueOptions(['ab12', 'note', '--wall-time', 'soon'])).toThrow(UsageError);
    expect(() => parseContinueOptions(['ab12', 'note', 'extra'])).toThrow(/quote it/);
  });
});

describe('overseer run --on-budget', () => {
  const base = ['--repo', '/r', '--goal', 'g'];
  it('ends at a cap by default; pause asks', () => {
    expect(parseRunOptions(base).onBudget).toBe('end');
    expect(parseRunOptions([...base, '--on-budget', 'pause']).onBudget).toBe('pause');
    expect(() => parseRunOptions([...base, '--on-budget', 'ask'])).toThrow(/--on-budget must be end or pause/);
  });
});

describe('budget extensions', () => {
  it('grow each cap from the larger of the cap and the usage', () => {
    const budget = extendBudget(
      { ...DEFAULT_BUDGET, maxTurns: 3, maxCostUsd: 1 },
      { ...ZERO_USAGE, turns: 5, costUsd: 0.5 },
      { turns: 2, costUsd: 1 },
    );
    expect(budget.maxTurns).toBe(7);
    expect(budget.maxCostUsd).toBe(2);
    expect(extendBudget(DEFAULT_BUDGET, ZERO_USAGE, { costUsd: 1 }).maxCostUsd).toBeNull();
  });
  it('read amounts as people write them', () => {
    expect(parseAxisAmount('tokens', '200k')).toEqual({ ok: true, amount: 200_000 });
    expect(parseAxisAmount('wall_time', '+30m')).toEqual({ ok: true, amount: 1_800_000 });
    expect(parseAxisAmount('cost', '$2.50')).toEqual({ ok: true, amount: 2.5 });
    expect(parseAxisAmount('turns', '2k').ok).toBe(false);
    expect(parseAxisAmount('turns', '0').ok).toBe(false);
  });
});

describe('the terminal question at a cap', () => {
  const paused: DriverEvent = {
    kind: 'budget_paused',
    goalId,
    axis: 'turns',
    usage: { ...ZERO_USAGE, turns: 4 },
    budget: { ...DEFAULT_BUDGET, maxTurns: 4 },
  };

  function setup() {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const calls: string[] = [];
    const prompt = createBudgetPrompt({
      input,
      output,
      port: {
        extend: async (_id, extension) => calls.push(`extend ${JSON.stringify(extension)}`),
        end: async () => calls.push('end'),
      },
    });
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    return { input, prompt, calls, text: () => text, until };
  }

  it('asks, takes a number (a bad one is asked again) and extends that axis', async () => {
    const t = setup();
    t.prompt.publish(paused);
    await t.until(() => t.text().includes('Add how much turns'));
    expect(t.text()).toContain('reached its turns cap (4 of 4 turns)');
    t.input.write('many\n');
    await t.until(() => t.text().includes('give a whole number'));
    t.input.write('3\n');
    await t.until(() => t.calls.length > 0);
    expect(t.calls).toEqual(['extend {"turns":3}']);
    t.prompt.close();
  });

  it('Enter takes the offered step; "e" ends', async () => {
    const t = setup();
    t.prompt.publish(paused);
    await t.until(() => t.text().includes('Enter = +2 turns'));
    t.input.write('\n');
    await t.until(() => t.calls.length > 0);
    t.prompt.publish(paused);
    await t.until(() => t.text().split('Add how much').length > 2);
    t.input.write('e\n');
    await t.until(() => t.calls.length > 1);
    expect(t.calls).toEqual(['extend {"turns":2}', 'end']);
    t.prompt.close();
  });

  it('withdraws the question when the goal goes on (answered in the console)', async () => {
    const t = setup();
    t.prompt.publish(paused);
    await t.until(() => t.text().includes('Add how much'));
    t.prompt.publish({ kind: 'goal_resumed', goalId });
    await t.until(() => t.text().includes('Answered elsewhere'));
    t.input.write('5\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.calls).toEqual([]);
    t.prompt.close();
  });
});
