// Goal construction: a `goal.create` request checked (repository, acceptance checks and tools)
// and completed with the settings' defaults into the Goal the store records.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { GoalSchema, type Goal } from '../../../shared/domain/goal.js';
import type { goalCommands } from '../../../shared/commands/goals.js';
import type { Stores } from '../../store/index.js';
import { withGoalPolicy } from '../../permission/index.js';
import { HostError } from '../command-error.js';
import { newGoalProblems, problemsMessage } from '../new-goal-checks.js';
import { setupMetadata } from '../setup-phase.js';
import { validateRepository } from './repository.js';

export type NewGoalRequest = z.infer<(typeof goalCommands)['goal.create']['request']>;

/** The goal a request describes; throws invalid_payload naming the field when it cannot run. */
export async function newGoal(stores: Stores, request: NewGoalRequest): Promise<Goal> {
  const repo = await validateRepository(request.repoPath);
  if (!repo.ok) throw new HostError('invalid_payload', repo.message, [{ path: 'repoPath', message: repo.message }]);
  const problems = newGoalProblems({ acceptance: request.acceptance, tools: request.tools });
  if (problems.length > 0)
    throw new HostError(
      'invalid_payload',
      problemsMessage(problems),
      problems.map((p) => ({ path: p.path.join('.'), message: p.message })),
    );
  const defaults = stores.settings.get('goals.defaultBudget');
  return GoalSchema.parse({
    id: randomUUID(),
    description: request.description,
    acceptance: request.acceptance,
    budget: { ...defaults, ...request.budget },
    repoPath: repo.path,
    inPlace: request.inPlace,
    model: request.model ?? stores.settings.get('goals.defaultModel'),
    permissionMode: request.permissionMode,
    metadata:
      request.permissionPolicy === null
        ? setupMetadata(request.setup ?? null)
        : withGoalPolicy(setupMetadata(request.setup ?? null), request.permissionPolicy),
    turnTimeoutMs: request.turnTimeoutMs ?? null,
    createdAt: new Date().toISOString(),
    tools: request.tools,
    onBudget: request.onBudget,
  });
}
