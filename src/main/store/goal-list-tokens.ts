// The goal list's turn tokens: the column its query builds for each goal (the [turn_index, tokens]
// record of each attempt of its most recent turns, as JSON), read back from SQLite, and what the
// list sends for the goal's sparkline (tokensPerTurn, from tokensPerTurnFrom).
//
// The column is checked by hand, not with a zod schema: a list of 500 goals holds 12,000 of these
// records, and zod's tuple checks were most of the time the host spent reading the list's rows at a
// console's start (27 ms of about 40 in a quiet process, more beside a loading page). The rule is
// the one a zod schema would state; tests/unit/store/goal-list-tokens.test.ts holds the two to the
// same answers.
import { z } from 'zod';
import { GOAL_LIST_RECENT_TURNS } from '../../shared/domain/goal-list.js';
import { perTurn } from '../../shared/domain/per-turn.js';

/** The largest turn index whose tokens the goal list sums (far past any real goal's turns). */
export const LISTED_TURN_INDEX_LIMIT = 100_000;

/** A [turn_index, tokens] record of one attempt. */
export type TurnTokenRecord = readonly [turnIndex: number, tokens: number];

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * The records in the column's value: a JSON array of [turn_index, tokens] pairs, each a non-negative
 * safe integer, the turn index at most LISTED_TURN_INDEX_LIMIT. Anything else (not text, not JSON, one
 * damaged record) gives no records: the goal is still listed, with no sparkline.
 */
export function turnTokenRecords(value: unknown): TurnTokenRecord[] {
  if (typeof value !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const records: TurnTokenRecord[] = [];
  for (const record of parsed as unknown[]) {
    if (!Array.isArray(record) || record.length !== 2) return [];
    const [turnIndex, tokens] = record as unknown[];
    if (!isCount(turnIndex) || turnIndex > LISTED_TURN_INDEX_LIMIT || !isCount(tokens)) return [];
    records.push([turnIndex, tokens]);
  }
  return records;
}

/** The column as read back (see turnTokenRecords). */
export const TurnTokensColumnSchema = z.unknown().transform(turnTokenRecords);

/** The goal's recent turns' tokens from its [turn_index, tokens] records (see GoalListRow.tokensPerTurn). */
export function recentTokens(records: readonly TurnTokenRecord[]): {
  tokensPerTurn: number[];
  tokensPerTurnFrom: number;
} {
  if (records.length === 0) return { tokensPerTurn: [], tokensPerTurnFrom: 0 };
  const last = Math.max(...records.map(([turnIndex]) => turnIndex));
  const from = Math.max(0, last - GOAL_LIST_RECENT_TURNS + 1);
  const recent = records.filter(([turnIndex]) => turnIndex >= from);
  const tokensPerTurn = perTurn(
    recent.map(([turnIndex, tokens]) => ({ turnIndex: turnIndex - from, tokens })),
    (turn) => turn.tokens,
  );
  // A turn's attempts summed past the safe integers is damage too: no sparkline, as for a damaged record.
  if (!tokensPerTurn.every(Number.isSafeInteger)) return { tokensPerTurn: [], tokensPerTurnFrom: 0 };
  return { tokensPerTurn, tokensPerTurnFrom: from };
}
