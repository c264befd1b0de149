// Handlers of the runner commands (src/shared/commands/runners.ts): `runners.list` from the NATS
// watch when the console has one, and the commands that name a runner (`runner.repo.validate`,
// `runner.goal.create`), which only the console's remote-goal forwarding answers: without a NATS
// server they are refused, saying how to get one.
import type { RunnersList, runnerCommands } from '../../../shared/commands/runners.js';
import { HostError } from '../command-error.js';
import type { HandlersFor } from '../dispatcher.js';

const NO_NATS = 'this console watches no NATS server, so it has no runners (start it with `overseer serve --nats URL`)';

export function runnerHandlers(list: (() => Promise<RunnersList>) | undefined) {
  return {
    'runners.list': () => list?.() ?? { natsUrl: null, runners: [], problem: null },
    'runner.repo.validate': () => {
      throw new HostError('failed_precondition', NO_NATS);
    },
    'runner.goal.create': () => {
      throw new HostError('failed_precondition', NO_NATS);
    },
  } satisfies HandlersFor<typeof runnerCommands>;
}
