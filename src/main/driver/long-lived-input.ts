// What the long-lived runner writes to Claude Code and how it reads its per-turn figures: the one
// stdin line a turn (a stream-json user message, built from typed values), and the turn's own cost.
// Measured against Claude Code 2.1.197: in one stream-json process a `result` line's `usage` is the
// turn's own, but `total_cost_usd` counts from the process's start, so a turn's cost is the difference
// from the previous result line of the same process.
import type { ResultLine } from './stream.js';

/** A stream-json user message: `{"type":"user","message":{"role":"user","content":"..."}}`. */
interface StreamJsonUserMessage {
  type: 'user';
  message: { role: 'user'; content: string };
}

/** The stdin line that starts a turn with `prompt` (no newline). */
export function userMessageLine(prompt: string): string {
  const message: StreamJsonUserMessage = { type: 'user', message: { role: 'user', content: prompt } };
  return JSON.stringify(message);
}

/**
 * The result line with `total_cost_usd` made the turn's own, given the process's total before the
 * turn; `processTotal` is the total to remember for the next turn. A line without a cost is kept.
 */
export function costPerTurn(line: ResultLine, processTotalBefore: number): { line: ResultLine; processTotal: number } {
  const total = line.total_cost_usd;
  if (total === null || total === undefined) return { line, processTotal: processTotalBefore };
  // A total below what came before cannot be cumulative over this process: take it as the turn's own.
  const own = total >= processTotalBefore ? total - processTotalBefore : total;
  return { line: { ...line, total_cost_usd: own }, processTotal: total };
}
