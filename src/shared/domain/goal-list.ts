// How many goals a goal list holds: the console's sidebar and `overseer goals` by default, and at
// most (`overseer goals --all`, resolving the start of a goal's id); how many of each goal's turns it
// carries tokens for; and its order. No imports, so the CLI's help text can say these numbers without
// loading the contract.

/** Goals a list holds unless asked for more. */
export const GOAL_LIST_DEFAULT_LIMIT = 500;
/** The most goals one list may hold. */
export const GOAL_LIST_MAX_LIMIT = 100_000;
/**
 * Turns whose tokens a goal list carries for each goal: its most recent ones, as many as the sidebar's
 * sparkline draws. A list of long goals then does not read or send every turn of each.
 */
export const GOAL_LIST_RECENT_TURNS = 24;

/**
 * A goal list's order: newest first (`createdAt`, an ISO 8601 UTC timestamp), then by id, both
 * compared code unit by code unit, as the host's query orders them (SQLite's binary collation). Not
 * `localeCompare`: these are not words, and its first call builds a collator (10-25 ms in a fresh page).
 */
export function newestGoalFirst(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}
