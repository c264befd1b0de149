// A goal's usage per turn: a turn's retries and compactions (same turn index) count toward it;
// a turn index with no record reads 0. Shared by the usage charts and the sidebar's sparklines.
import type { TurnSummary } from '../../shared/domain/views';

export function perTurn(turns: readonly TurnSummary[], pick: (turn: TurnSummary) => number): number[] {
  const sums: number[] = [];
  for (const turn of turns) sums[turn.turnIndex] = (sums[turn.turnIndex] ?? 0) + pick(turn);
  return Array.from({ length: sums.length }, (_, index) => sums[index] ?? 0);
}
