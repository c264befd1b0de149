// Context pressure: how full Claude's context window is, for proactive compaction. The window size
// comes from the CLI itself (`modelUsage[model].contextWindow` on each result line); the fill is the
// size of the turn's last model request (its usage: input, cache reads and writes, output). The
// result line's own `usage` adds up every request of the turn, so it overstates the context of a turn
// with many tool calls: it is only the fallback when no assistant line carried a usage.
import type { ResultLine } from './stream.js';
import { contextTokensOf, resultContextWindow, type AssistantLine } from './stream.js';

/** What one attempt told us about the context; null fields: the CLI did not say. */
export interface ContextReading {
  window: number | null;
  tokens: number | null;
}

/** Collects a reading from the stream-json lines of one attempt. */
export class ContextReadingCollector {
  private lastRequestTokens: number | null = null;
  private result: ResultLine | null = null;

  assistant(line: AssistantLine): void {
    const usage = line.message.usage;
    if (usage !== undefined) this.lastRequestTokens = contextTokensOf(usage);
  }

  resultLine(line: ResultLine): void {
    this.result = line;
  }

  reading(): ContextReading {
    const fromResult = this.result?.usage !== undefined ? contextTokensOf(this.result.usage) : null;
    return {
      window: this.result !== null ? resultContextWindow(this.result) : null,
      tokens: this.lastRequestTokens ?? fromResult,
    };
  }
}

/** The last known context window and fill of one goal's session. */
export class ContextMeter {
  /** 0 while unknown. */
  window = 0;
  /** null while unknown (no reading since the session started or was compacted). */
  tokens: number | null = null;

  /** Takes a work turn's reading; a compact turn leaves the fill unknown until the next work turn. */
  observe(reading: ContextReading | null | undefined, compact: boolean): void {
    if (reading?.window !== null && reading?.window !== undefined && reading.window > 0) this.window = reading.window;
    if (compact) this.tokens = null;
    else if (reading?.tokens !== null && reading?.tokens !== undefined) this.tokens = reading.tokens;
  }

  /** A new session: its fill is unknown again (the window stays: it belongs to the model). */
  sessionReset(): void {
    this.tokens = null;
  }

  /** The window in force: a configured one (non-zero) wins over the one the CLI reported. */
  effectiveWindow(configured: number): number {
    return configured > 0 ? configured : this.window;
  }
}
