// Repository setup settings and landing commands.
import { lockfileHint } from '../../workspace/index.js';
import { EMPTY_SETUP } from '../../../shared/domain/landing.js';
import type { Stores } from '../../store/index.js';
import type { landCommands } from '../../../shared/commands/land.js';
import type { HandlersFor } from '../dispatcher.js';
import { HostError } from '../command-error.js';
import type { GoalRunner } from '../goal-runner.js';
import type { LandService } from '../land-service.js';
import { handToClaude } from '../land-handoff.js';
import { detectEditor, openWorkspace } from '../open-workspace.js';
import { validateRepository } from '../services/repository.js';

/** The repository's top-level path, the key its settings are stored under. */
async function repositoryKey(path: string): Promise<string> {
  const repo = await validateRepository(path);
  if (!repo.ok) throw new HostError('invalid_payload', repo.message, [{ path: 'repoPath', message: repo.message }]);
  return repo.path;
}

export function landHandlers(stores: Stores, runner: GoalRunner, land: LandService) {
  return {
    'repo.settings.get': async ({ repoPath }) => {
      const key = await repositoryKey(repoPath);
      const stored = stores.repositorySettings.get(key);
      return {
        repoPath: key,
        setup: stored?.setup ?? EMPTY_SETUP,
        stored: stored !== null,
        lockfileHint: lockfileHint(key),
      };
    },
    'repo.settings.list': () => ({ repositories: stores.repositorySettings.list() }),
    'repo.settings.update': async ({ repoPath, setup }) =>
      stores.repositorySettings.set(await repositoryKey(repoPath), setup),
    'repo.settings.delete': ({ repoPath }) => ({
      deleted: stores.repositorySettings.delete(repoPath),
    }),

    'land.preview': ({ goalId }) => land.preview(goalId),
    'land.commit': ({ goalId, message, perTurn }) => land.commit(goalId, message, perTurn),
    'land.merge': ({ goalId, message, squash, into }) => land.merge(goalId, message, squash, into),
    'land.rebase': ({ goalId, into }) => land.rebase(goalId, into),
    'land.pr': ({ goalId, title, body, into }) => land.pullRequest(goalId, title, body, into),
    'land.handToClaude': (request) => handToClaude(stores, runner, request),
    'goal.cleanup': async ({ goalId }) => ({ message: await land.cleanup(goalId) }),
    'goal.open': async ({ goalId, target }) => {
      const record = stores.goals.get(goalId);
      if (record === null) throw new HostError('not_found', `no goal ${goalId}`);
      const info = runner.workspaceInfo(record.goal);
      if (info === null)
        throw new HostError('failed_precondition', 'the goal has no folder (not started yet, or cleaned up)');
      return openWorkspace(info.path, target, stores.settings.get('editor.command'));
    },
    'editor.detect': async () => ({ detected: await detectEditor(null) }),
  } satisfies HandlersFor<typeof landCommands>;
}
