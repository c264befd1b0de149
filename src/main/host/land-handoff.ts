// Handing a note to Claude from the Land panel (a rebase that conflicted): a running goal gets it
// as its next turn's note; a goal that has ended runs again with it, in the same worktree and the
// same Claude session, within a budget extension the user chose explicitly (started now, or queued
// when every slot is taken: the same path as `goal.continue`, GoalRunner.continueEnded). Nothing here decides
// on its own to spend more: without an extension for an axis that is used up, it refuses and says
// which one.
import type { BudgetExtension } from '../../shared/commands/land.js';
import type { BudgetGuards, BudgetUsage, GoalStatus } from '../../shared/domain/goal.js';
import { formatDuration } from '../../shared/domain/duration.js';
import type { Stores } from '../store/index.js';
import { HostError } from './command-error.js';
import type { GoalRunner } from './goal-runner.js';

/** Ended goals that can take more turns. */
const CONTINUABLE: ReadonlySet<GoalStatus> = new Set([
  'done',
  'cancelled',
  'budget_exhausted',
  'escalated',
  'failed',
  'interrupted',
]);

export interface HandOffResult {
  continued: boolean;
  maxTurns: number | null;
  message: string;
}

/**
 * The budget of the continuation: at most `extend.turns` more counted turns; wall time, tokens and
 * cost raised over what is used when asked, else kept. Refuses when an axis is used up and not
 * extended (the goal would end before its first turn).
 */
export function extendedBudget(
  budget: BudgetGuards,
  usage: BudgetUsage,
  totalTurns: number,
  extend: BudgetExtension,
): BudgetGuards {
  const next: BudgetGuards = { ...budget, maxTurns: totalTurns + extend.turns };
  if (extend.wallTimeMs !== undefined)
    next.maxWallTimeMs = Math.max(budget.maxWallTimeMs, usage.wallTimeMs + extend.wallTimeMs);
  if (extend.tokens !== undefined) next.maxTokens = Math.max(budget.maxTokens, usage.tokens + extend.tokens);
  if (extend.costUsd !== undefined) next.maxCostUsd = Math.max(budget.maxCostUsd ?? 0, usage.costUsd + extend.costUsd);
  const usedUp: string[] = [];
  if (usage.wallTimeMs >= next.maxWallTimeMs)
    usedUp.push(`wall time (${formatDuration(usage.wallTimeMs)} of ${formatDuration(next.maxWallTimeMs)})`);
  if (usage.tokens >= next.maxTokens) usedUp.push(`tokens (${usage.tokens} of ${next.maxTokens})`);
  if (next.maxCostUsd !== null && usage.costUsd >= next.maxCostUsd)
    usedUp.push(`cost ($${usage.costUsd.toFixed(2)} of $${next.maxCostUsd.toFixed(2)})`);
  if (usedUp.length > 0)
    throw new HostError(
      'failed_precondition',
      `the goal's budget is used up for ${usedUp.join(', ')}: extend it too to hand the goal back to Claude`,
    );
  return next;
}

export async function handToClaude(
  stores: Stores,
  runner: GoalRunner,
  request: { goalId: string; note: string; extend: BudgetExtension },
): Promise<HandOffResult> {
  const { goalId, note, extend } = request;
  if (runner.isRunning(goalId)) {
    const depth = runner.interrupt(goalId, note, false);
    return {
      continued: false,
      maxTurns: null,
      message: `the goal is running: the note waits for its next turn (${depth} queued)`,
    };
  }
  const info = stores.resumeInfo(goalId);
  if (info === null) throw new HostError('not_found', `no goal ${goalId}`);
  if (runner.isQueued(goalId))
    throw new HostError('failed_precondition', 'the goal is waiting for a free slot: it gets notes once it runs');
  if (info.status === 'setup_failed')
    throw new HostError('failed_precondition', "the goal's setup failed: fix it and retry the setup first");
  if (!CONTINUABLE.has(info.status))
    throw new HostError('failed_precondition', `a ${info.status} goal cannot be handed back to Claude`);
  if (runner.workspaceInfo(info.goal) === null)
    throw new HostError(
      'failed_precondition',
      "the goal's worktree was removed (cleaned up): there is nothing left to continue in",
    );
  const budget = extendedBudget(info.goal.budget, info.usage, info.totalTurns, extend);
  // The operator steps in: runs of denies and errors start over.
  const usage: BudgetUsage = { ...info.usage, consecutiveDenies: 0, consecutiveErrors: 0, consecutive413: 0 };
  const admitted = await runner.continueEnded({ ...info.goal, budget }, { usage, totalTurns: info.totalTurns }, note);
  const turns = `up to ${extend.turns} more turn${extend.turns === 1 ? '' : 's'} (turn ${info.totalTurns + 1} of ${budget.maxTurns} next)`;
  return {
    continued: true,
    maxTurns: budget.maxTurns,
    message: admitted.queued
      ? `Claude continues the goal with the note once a slot is free (position ${admitted.position} in the queue): ${turns}`
      : `Claude continues the goal with the note: ${turns}`,
  };
}
