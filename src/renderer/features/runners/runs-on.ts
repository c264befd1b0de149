// Where a new goal runs: this machine (null) or an online runner, as chosen in the New goal form.
// The repository check and the start go to that place: the runner's own checks answer for a path
// on its machine (runner.repo.validate / runner.goal.create, forwarded by the console).
import { create } from 'zustand';
import type { CommandRequest, CommandResponse } from '../../../shared/contract';
import { call } from '../../lib/command';

export const useRunsOn = create<{ runner: string | null }>(() => ({ runner: null }));

export function setRunsOn(runner: string | null): void {
  useRunsOn.setState({ runner });
}

/** repo.validate where the new goal will run (`runner`: null for this machine). */
export function validateRepoWhereItRuns(
  path: string,
  runner: string | null,
): Promise<CommandResponse<'repo.validate'>> {
  return runner === null ? call('repo.validate', { path }) : call('runner.repo.validate', { runner, path });
}

/** goal.create where the new goal will run. */
export function createGoalWhereItRuns(request: CommandRequest<'goal.create'>): Promise<CommandResponse<'goal.create'>> {
  const runner = useRunsOn.getState().runner;
  return runner === null ? call('goal.create', request) : call('runner.goal.create', { runner, goal: request });
}
