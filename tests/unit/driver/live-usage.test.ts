// Live usage of a running turn: each assistant message counted once (the CLI repeats its usage per
// content block), tokens as the budget counts them, cost estimated by model (null when unknown).
import { describe, expect, it } from 'vitest';
import { LiveTurnUsage, pricesFor } from '../../../src/main/driver/live-usage.js';
import { AssistantLineSchema } from '../../../src/main/driver/stream.js';

const line = (id: string, model: string, usage: Record<string, number>) =>
  AssistantLineSchema.parse({ type: 'assistant', message: { id, model, content: [], usage } });

describe('LiveTurnUsage', () => {
  it('sums messages once each, tokens = input + output + cache reads', () => {
    const live = new LiveTurnUsage();
    expect(
      live.assistant(
        line('m1', 'claude-sonnet-4-5', {
          input_tokens: 100,
          output_tokens: 50,
          cache_read_input_tokens: 1000,
          cache_creation_input_tokens: 200,
        }),
      ),
    ).toEqual({
      tokens: 1150,
      costUsd: (100 * 3 + 50 * 15 + 200 * 3.75 + 1000 * 0.3) / 1e6,
    });
    // The same message again (another content block): nothing new.
    expect(
      live.assistant(
        line('m1', 'claude-sonnet-4-5', {
          input_tokens: 100,
          output_tokens: 50,
          cache_read_input_tokens: 1000,
          cache_creation_input_tokens: 200,
        }),
      ),
    ).toBeNull();
    const next = live.assistant(line('m2', 'claude-sonnet-4-5', { input_tokens: 10, output_tokens: 5 }));
    expect(next?.tokens).toBe(1165);
  });

  it('gives no cost for a model without known prices', () => {
    const live = new LiveTurnUsage();
    expect(live.assistant(line('m1', 'some-other-model', { input_tokens: 10, output_tokens: 5 }))).toEqual({
      tokens: 15,
      costUsd: null,
    });
  });

  it('knows the price families', () => {
    expect(pricesFor('claude-opus-4-1-20250805')?.input).toBe(15);
    expect(pricesFor('claude-opus-4-5')?.input).toBe(5);
    expect(pricesFor('claude-haiku-4-5')?.output).toBe(5);
    expect(pricesFor(null)).toBeNull();
  });
});
