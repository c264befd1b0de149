// The goal list's turn tokens: the column its query builds for each goal (the [turn_index, tokens]
// record of each attempt of its most recent turns, as JSON), read back from SQLite, and what the
// list sends for the goal's sparkline (tokensPerTurn, from tokensPerTurnFrom).
import { z } from 'zod';
import { GOAL_LIST_RECENT_TURNS } from '../../shared/domain/goal-list.js';
import { perTurn } from '../../shared/domain/per-turn.js';
import { jsonText } from './rows.js';

/** The largest turn index whose tokens the goal list sums (far past any real goal's turns). */
const LISTED_TURN_INDEX_LIMIT = 100_000;

/**
 * The column as read back. A damaged value (a turn index past LISTED_TURN_INDEX_LIMIT included) gives
 * no records: the goal is still listed, with no sparkline.
 */
export const TurnTokensColumnSchema = jsonText(
  z.array(z.tuple([z.number().int().nonnegative().max(LISTED_TURN_INDEX_LIMIT), z.number().int().nonnegative()])),
).catch([]);

/** The goal's recent turns' tokens from its [turn_index, tokens] records (see GoalListRow.tokensPerTurn). */
export function recentTokens(records: readonly (readonly [number, number])[]): {
  tokensPerTurn: number[];
  tokensPerTurnFrom: number;
} {
  if (records.length === 0) return { tokensPerTurn: [], tokensPerTurnFrom: 0 };
  const last = Math.max(...records.map(([turnIndex]) => turnIndex));
  const from = Math.max(0, last - GOAL_LIST_RECENT_TURNS + 1);
  const recent = records.filter(([turnIndex]) => turnIndex >= from);
  return {
    tokensPerTurn: perTurn(
      recent.map(([turnIndex, tokens]) => ({ turnIndex: turnIndex - from, tokens })),
      (turn) => turn.tokens,
    ),
    tokensPerTurnFrom: from,
  };
}
