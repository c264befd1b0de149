// How many goals a goal list holds: the console's sidebar and `overseer goals` by default, and at
// most (`overseer goals --all`, resolving the start of a goal's id); and how many of each goal's
// turns it carries tokens for. No imports, so the CLI's help text can say these numbers without
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
