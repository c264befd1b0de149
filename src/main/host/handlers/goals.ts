// Goal commands: validate a repository, create and start a goal, the operator's controls,
// restart after a crash, delete, diffs and rollback.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspectRepository, isWorkspaceError } from '../../workspace/index.js';
import { GoalSchema, type Goal } from '../../../shared/domain/goal.js';
import type { Stores } from '../../store/index.js';
import type { CommandDispatcher } from '../dispatcher.js';
import { HostError } from '../command-error.js';
import type { GoalRunner } from '../goal-runner.js';
import { withGoalPolicy } from '../../permission/rules-file.js';
import { newGoalProblems, problemsMessage } from '../new-goal-checks.js';
import { setupMetadata } from '../setup-phase.js';
import { continueGoal } from '../continue-goal.js';

export async function validateRepository(
  path: string,
): Promise<{ ok: boolean; path: string; message: string; head: string | null; branch: string | null }> {
  const absolute = resolve(path.replace(/^~(?=$|\/)/, process.env['HOME'] ?? '~'));
  const fail = (message: string) => ({ ok: false, path: absolute, message, head: null, branch: null });
  if (path.trim() === '') return fail('choose a repository folder');
  if (!existsSync(absolute)) return fail(`${absolute} does not exist`);
  if (!statSync(absolute).isDirectory()) return fail(`${absolute} is not a folder`);
  try {
    const { head, branch } = await inspectRepository(absolute);
    if (head === null)
      return {
        ok: true,
        path: absolute,
        message: 'git repository with no commits yet (worktree mode needs a first commit)',
        head: null,
        branch,
      };
    return {
      ok: true,
      path: absolute,
      message: `git repository on ${branch ?? 'a detached HEAD'} at ${head.slice(0, 8)}`,
      head,
      branch,
    };
  } catch (error) {
    if (isWorkspaceError(error) && error.code === 'not_a_repository') {
      return fail(`${absolute} is not a git repository (run \`git init\` there, or choose another folder)`);
    }
    return fail(
      isWorkspaceError(error)
        ? error.message
        : `cannot read ${absolute} as a git repository: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function registerGoalHandlers(dispatcher: CommandDispatcher, stores: Stores, runner: GoalRunner): void {
  dispatcher.register('repo.validate', ({ path }) => validateRepository(path));

  dispatcher.register('goal.create', async (request) => {
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
    const goal: Goal = GoalSchema.parse({
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
    stores.goals.insert(goal);
    if (!request.start) return { goalId: goal.id, queuePosition: null };
    const admitted = await runner.admit(goal);
    return { goalId: goal.id, queuePosition: admitted.queued ? admitted.position : null };
  });

  dispatcher.register('goal.pause', ({ goalId }) => (runner.pause(goalId), { ok: true as const }));
  dispatcher.register('goal.resume', ({ goalId }) => (runner.resume(goalId), { ok: true as const }));
  dispatcher.register('goal.cancel', ({ goalId }) => (runner.cancel(goalId), { ok: true as const }));
  dispatcher.register('goal.interrupt', ({ goalId, message, stopTurn }) => ({
    queueDepth: runner.interrupt(goalId, message, stopTurn),
  }));
  dispatcher.register('goal.extendBudget', ({ goalId, extension }) => ({
    budget: runner.extendBudget(goalId, extension),
  }));
  dispatcher.register('goal.endAtCap', ({ goalId }) => (runner.endAtCap(goalId), { ok: true as const }));
  dispatcher.register('goal.continue', (request) => continueGoal(stores, runner, request));
  dispatcher.register('goal.raiseTurnLimit', ({ goalId, maxTurns }) => ({
    maxTurns: runner.raiseTurnLimit(goalId, maxTurns),
  }));

  dispatcher.register('goal.restart', async ({ goalId }) => {
    const info = stores.resumeInfo(goalId);
    if (info === null) throw new HostError('not_found', `no goal ${goalId}`);
    if (runner.isRunning(goalId)) throw new HostError('conflict', 'the goal is already running');
    if (info.status !== 'interrupted' && info.status !== 'pending' && info.status !== 'setup_failed') {
      throw new HostError(
        'failed_precondition',
        `only an interrupted, never-started or setup-failed goal can be restarted (this one is ${info.status})`,
      );
    }
    const fresh = info.status === 'pending' || info.status === 'setup_failed';
    await runner.admit(info.goal, fresh ? undefined : { usage: info.usage, totalTurns: info.totalTurns });
    return { ok: true as const };
  });

  dispatcher.register('goal.moveUp', ({ goalId }) => ({ position: runner.moveUp(goalId) }));
  dispatcher.register('goals.queue', () => ({ goalIds: runner.queuedGoalIds() }));
  dispatcher.register('goals.resumeInterrupted', () => resumeInterrupted(stores, runner));

  dispatcher.register('goal.delete', async ({ goalId, keepBranch }) => ({
    message: await runner.delete(goalId, keepBranch),
  }));
  dispatcher.register('turn.diff', ({ goalId, turnIndex }) => runner.turnDiff(goalId, turnIndex));
  dispatcher.register('goal.cumulativeDiff', ({ goalId }) => runner.cumulativeDiff(goalId));
  dispatcher.register('goal.patch', ({ goalId, turnIndex }) => runner.fullPatch(goalId, turnIndex));
  dispatcher.register('goal.rollback', async ({ goalId, turnIndex, phase }) => ({
    sha: await runner.rollback(goalId, turnIndex, phase),
  }));
}

/** Restarts every interrupted goal (each starts, or waits in the queue). */
export async function resumeInterrupted(
  stores: Stores,
  runner: GoalRunner,
): Promise<{ started: number; queued: number; failed: { goalId: string; message: string }[] }> {
  const result = { started: 0, queued: 0, failed: [] as { goalId: string; message: string }[] };
  const interrupted = stores.goals.list({ statuses: ['interrupted'], limit: 10_000 }).reverse();
  for (const summary of interrupted) {
    const info = stores.resumeInfo(summary.goalId);
    if (info === null || info.status !== 'interrupted' || runner.isRunning(summary.goalId)) continue;
    try {
      const admitted = await runner.admit(info.goal, { usage: info.usage, totalTurns: info.totalTurns });
      if (admitted.queued) result.queued += 1;
      else result.started += 1;
    } catch (error) {
      result.failed.push({ goalId: summary.goalId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
