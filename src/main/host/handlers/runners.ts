// Handlers of the runner commands (src/shared/commands/runners.ts): `runners.list` answers from the
// console's NATS watch when one is configured, else with an empty list.
import type { RunnersList, runnerCommands } from '../../../shared/commands/runners.js';
import type { HandlersFor } from '../dispatcher.js';

export function runnerHandlers(list: (() => Promise<RunnersList>) | undefined) {
  return {
    'runners.list': () => list?.() ?? { natsUrl: null, runners: [], problem: null },
  } satisfies HandlersFor<typeof runnerCommands>;
}
