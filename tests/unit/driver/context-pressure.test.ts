import { describe, expect, it } from 'vitest';
import { ContextMeter, ContextReadingCollector } from '../../../src/main/driver/context-pressure.js';
import { DefaultCompactPolicy } from '../../../src/main/driver/compact.js';
import {
  parseStreamLine,
  resultContextWindow,
  type AssistantLine,
  type ResultLine,
} from '../../../src/main/driver/stream.js';
import { ZERO_USAGE } from '../../../src/shared/domain/goal.js';

// The shape Claude Code 2.1.197 prints (trimmed): the main model read most; a side model has a smaller window.
const resultJson = {
  type: 'result',
  subtype: 'success',
  is_error: false,
  result: 'ok',
  session_id: 's-1',
  total_cost_usd: 0.01,
  usage: { input_tokens: 9000, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000 },
  modelUsage: {
    'claude-opus-4-8[1m]': {
      inputTokens: 9000,
      outputTokens: 300,
      cacheReadInputTokens: 1000,
      cacheCreationInputTokens: 0,
      contextWindow: 1_000_000,
      maxOutputTokens: 64000,
    },
    'claude-haiku-4-5': {
      inputTokens: 200,
      outputTokens: 20,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      contextWindow: 200_000,
    },
  },
  permission_denials: [],
};

function result(json: unknown): ResultLine {
  const parsed = parseStreamLine(JSON.stringify(json));
  if (parsed.kind !== 'result') throw new Error(`not a result line: ${parsed.kind}`);
  return parsed.line;
}

function assistant(usage: Record<string, number>): AssistantLine {
  const parsed = parseStreamLine(
    JSON.stringify({ type: 'assistant', session_id: 's-1', message: { id: 'm', content: [], usage } }),
  );
  if (parsed.kind !== 'assistant') throw new Error('not an assistant line');
  return parsed.line;
}

describe('context window from the result line', () => {
  it('takes the window of the model that read the most', () => {
    expect(resultContextWindow(result(resultJson))).toBe(1_000_000);
  });

  it('is null without modelUsage, and an unreadable modelUsage does not cost the result line', () => {
    expect(resultContextWindow(result({ ...resultJson, modelUsage: undefined }))).toBeNull();
    const odd = result({ ...resultJson, modelUsage: 'not an object' });
    expect(odd.result).toBe('ok');
    expect(resultContextWindow(odd)).toBeNull();
  });
});

describe('ContextReadingCollector', () => {
  it('measures the fill by the last request, not the turn total', () => {
    const collector = new ContextReadingCollector();
    collector.assistant(assistant({ input_tokens: 2000, output_tokens: 1 }));
    collector.assistant(assistant({ input_tokens: 5000, output_tokens: 1, cache_read_input_tokens: 3000 }));
    collector.resultLine(result(resultJson));
    expect(collector.reading()).toEqual({ window: 1_000_000, tokens: 8001 });
  });

  it('falls back to the result usage when no assistant line had one', () => {
    const collector = new ContextReadingCollector();
    collector.resultLine(result(resultJson));
    expect(collector.reading()).toEqual({ window: 1_000_000, tokens: 10_300 });
    expect(new ContextReadingCollector().reading()).toEqual({ window: null, tokens: null });
  });
});

describe('ContextMeter', () => {
  it('keeps the last window, forgets the fill after a compact turn or a new session, and lets a configured window win', () => {
    const meter = new ContextMeter();
    meter.observe({ window: 200_000, tokens: 150_000 }, false);
    expect([meter.window, meter.tokens]).toEqual([200_000, 150_000]);
    meter.observe({ window: null, tokens: 900 }, true);
    expect([meter.window, meter.tokens]).toEqual([200_000, null]);
    meter.observe({ window: null, tokens: 40_000 }, false);
    expect(meter.tokens).toBe(40_000);
    meter.sessionReset();
    expect(meter.tokens).toBeNull();
    expect(meter.effectiveWindow(0)).toBe(200_000);
    expect(meter.effectiveWindow(1000)).toBe(1000);
  });
});

describe('DefaultCompactPolicy with a measured context', () => {
  const base = {
    goalId: 'g',
    turnIndex: 6,
    usage: { ...ZERO_USAGE, tokens: 5_000_000 },
    contextWindow: 200_000,
    lastCompactTurn: null,
    goalDescription: 'x',
    sessionAgeMinutes: 0,
  };
  const auto = { tokenPct: 0.8, maxAgeMinutes: 0, minTurnsBetween: 1, maxConsecutiveFailures: 3 };

  it('uses the context fill, not the goal cumulative tokens', () => {
    const policy = new DefaultCompactPolicy();
    expect(policy.classify({ ...base, contextTokens: 100_000, auto })).toBeNull();
    expect(policy.classify({ ...base, contextTokens: 170_000, auto })?.trigger).toEqual({
      kind: 'token_pressure',
      pct: 0.85,
      tokensUsed: 170_000,
      contextWindow: 200_000,
    });
    // Unknown fill: cumulative tokens stand in.
    expect(policy.classify({ ...base, contextTokens: null, auto })?.trigger.kind).toBe('token_pressure');
  });
});
