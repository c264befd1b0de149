// A goal's usage per turn: a turn's retries and compactions (same turn index) count toward it;
// a turn index with no record reads 0. Shared by the console's usage charts and sidebar sparklines
// and by the host's goal list, which sends each goal's tokens per turn with its summary.
export function perTurn<T extends { turnIndex: number }>(turns: readonly T[], pick: (turn: T) => number): number[] {
  const sums: number[] = [];
  for (const turn of turns) sums[turn.turnIndex] = (sums[turn.turnIndex] ?? 0) + pick(turn);
  return Array.from({ length: sums.length }, (_, index) => sums[index] ?? 0);
}
