// The CLI's one-line lockfile hint: a worktree goal on a repository with a lockfile and no setup
// ("package-lock.json found: add `npm ci` as a setup command?"). Only a hint: nothing is run.
import type { Goal } from '../../shared/domain/goal.js';
import type { Stores } from '../store/index.js';
import { setupFor } from '../host/setup-phase.js';
import { lockfileHint } from '../workspace/setup.js';

export function setupHint(goal: Goal, stores: Pick<Stores, 'repositorySettings'>): string | null {
  if (goal.inPlace || setupFor(goal, stores) !== null) return null;
  const hint = lockfileHint(goal.repoPath);
  return hint === null ? null : `${hint.lockfile} found: the new worktree has no installed dependencies; add \`--setup "${hint.command}"\` (or store it for the repository in Settings → Repositories)?`;
}
