// What a running turn has used so far, from each assistant message's usage (the CLI prints the
// turn's exact tokens and cost only on its result line, at the end). Messages are counted once
// by id (the CLI repeats a message's usage on every content block it prints). Cost is estimated
// from published per-model prices; unknown models give null. The result line's figures replace
// these when the turn ends.
import { z } from 'zod';
import type { AssistantLine } from './stream.js';

/** USD per million tokens: input, output, cache write (5 min), cache read. */
interface Prices {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

const per = (input: number, output: number): Prices => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead: input * 0.1,
});

/** First match wins: newer, cheaper Opus generations before the older ones. */
const MODEL_PRICES: readonly { pattern: RegExp; prices: Prices }[] = [
  { pattern: /opus-4-[5-9]|opus-[5-9]/, prices: per(5, 25) },
  { pattern: /opus/, prices: per(15, 75) },
  { pattern: /sonnet/, prices: per(3, 15) },
  { pattern: /haiku-4|haiku-[5-9]/, prices: per(1, 5) },
  { pattern: /3-5-haiku|haiku-3-5/, prices: per(0.8, 4) },
  { pattern: /haiku/, prices: per(0.25, 1.25) },
];

export function pricesFor(model: string | null): Prices | null {
  if (model === null) return null;
  const name = model.toLowerCase();
  return MODEL_PRICES.find((entry) => entry.pattern.test(name))?.prices ?? null;
}

const MessageModelSchema = z.looseObject({ model: z.string().optional() });

interface MessageUsage {
  tokens: number;
  costUsd: number | null;
}

export class LiveTurnUsage {
  private readonly messages = new Map<string, MessageUsage>();
  private anonymous = 0;

  /** Counts one assistant line; returns the turn's running totals when they changed, else null. */
  assistant(line: AssistantLine): { tokens: number; costUsd: number | null } | null {
    const usage = line.message.usage;
    if (usage === undefined) return null;
    const cacheWrite = usage.cache_creation_input_tokens ?? 0;
    const cacheRead = usage.cache_read_input_tokens ?? 0;
    // Same count as the budget's: input + output + cache reads (cache writes excluded).
    const tokens = Math.round(usage.input_tokens + usage.output_tokens + cacheRead);
    const model = MessageModelSchema.safeParse(line.message);
    const prices = pricesFor(model.success ? (model.data.model ?? null) : null);
    const costUsd =
      prices === null
        ? null
        : (usage.input_tokens * prices.input +
            usage.output_tokens * prices.output +
            cacheWrite * prices.cacheWrite +
            cacheRead * prices.cacheRead) /
          1_000_000;
    const id = line.message.id ?? `anonymous-${(this.anonymous += 1)}`;
    const before = this.messages.get(id);
    if (before !== undefined && before.tokens === tokens && before.costUsd === costUsd) return null;
    this.messages.set(id, { tokens, costUsd });
    return this.totals();
  }

  totals(): { tokens: number; costUsd: number | null } {
    let tokens = 0;
    let costUsd: number | null = 0;
    for (const message of this.messages.values()) {
      tokens += message.tokens;
      costUsd = costUsd === null || message.costUsd === null ? null : costUsd + message.costUsd;
    }
    return { tokens, costUsd: costUsd === null ? null : Math.round(costUsd * 1e6) / 1e6 };
  }
}
