// How many goals a goal list holds: the console's sidebar and `overseer goals` by default, and at
// most (`overseer goals --all`, resolving the start of a goal's id). No imports, so the CLI's help
// text can say these numbers without loading the contract.

/** Goals a list holds unless asked for more. */
export const GOAL_LIST_DEFAULT_LIMIT = 500;
/** The most goals one list may hold. */
export const GOAL_LIST_MAX_LIMIT = 100_000;
