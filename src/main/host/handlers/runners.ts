// Runner commands on a host: `runners.list` from the NATS watch when the console has one, and the
// commands that name a runner (`runner.repo.validate`, `runner.goal.create`), which only the
// console's remote-goal forwarding answers: without a NATS server they are refused, saying how
// to get one.
import type { RunnersList } from '../../../shared/commands/runners.js';
import { HostError } from '../command-error.js';
import type { CommandDispatcher } from '../dispatcher.js';

const NO_NATS = 'this console watches no NATS server, so it has no runners (start it with `overseer serve --nats URL`)';

export function registerRunnerHandlers(
  dispatcher: CommandDispatcher,
  runners: (() => Promise<RunnersList>) | undefined,
): void {
  dispatcher.register('runners.list', () => runners?.() ?? { natsUrl: null, runners: [], problem: null });
  dispatcher.register('runner.repo.validate', () => {
    throw new HostError('failed_precondition', NO_NATS);
  });
  dispatcher.register('runner.goal.create', () => {
    throw new HostError('failed_precondition', NO_NATS);
  });
}
