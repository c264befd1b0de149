// Continuing a goal that ended: done, cancelled, budget exhausted, escalated or failed (also after
// a rollback of any of these). The operator's note leads the next turn, in the same workspace and
// Claude session, with the budget extended as the operator said; a budget that would still be used
// up is refused (saying which axis), so the goal never starts only to end at once.
import type { Goal, GoalStatus } from '../../shared/domain/goal.js';
import { AXIS_LABELS, extendBudget, type BudgetExtension } from '../../shared/domain/budget-extension.js';
import type { BudgetGuards } from '../../shared/domain/goal.js';
import { isExhausted } from '../driver/index.js';
import type { Stores } from '../store/index.js';
import { HostError } from './command-error.js';
import type { GoalRunner } from './goal-runner.js';
import { withRevertNotes } from './review-notes.js';

/** Statuses a goal can be continued from. */
export const CONTINUABLE_STATUSES: readonly GoalStatus[] = [
  'done',
  'budget_exhausted',
  'cancelled',
  'escalated',
  'failed',
];

export async function continueGoal(
  stores: Stores,
  runner: GoalRunner,
  request: { goalId: string; note: string; extension: BudgetExtension },
): Promise<{ budget: BudgetGuards; queuePosition: number | null }> {
  const { goalId } = request;
  const info = stores.resumeInfo(goalId);
  if (info === null) throw new HostError('not_found', `no goal ${goalId}`);
  if (runner.isRunning(goalId) || runner.isQueued(goalId)) {
    throw new HostError('conflict', 'the goal is still running: send it a note instead (it leads the next turn)');
  }
  if (!CONTINUABLE_STATUSES.includes(info.status)) {
    const hint =
      info.status === 'interrupted'
        ? ': resume it instead'
        : info.status === 'setup_failed'
          ? ': retry its setup instead'
          : '';
    throw new HostError('failed_precondition', `a ${info.status.replace('_', ' ')} goal cannot be continued${hint}`);
  }
  if (!info.goal.inPlace && runner.workspaceInfo(info.goal) === null) {
    throw new HostError(
      'failed_precondition',
      "the goal's worktree is gone (it was landed and cleaned up): start a new goal instead",
    );
  }
  // Streaks of denies and errors belong to the run that ended: the continued one starts afresh.
  const usage = {
    ...info.usage,
    turns: info.totalTurns,
    consecutiveDenies: 0,
    consecutiveErrors: 0,
    consecutive413: 0,
  };
  const budget = extendBudget(info.goal.budget, usage, request.extension);
  const axis = isExhausted(budget, usage);
  if (axis !== null) {
    throw new HostError(
      'failed_precondition',
      `the goal's ${AXIS_LABELS[axis]} budget is used up: extend it to continue`,
      [{ path: 'extension', message: `extend ${AXIS_LABELS[axis]}` }],
    );
  }
  const note = request.note.trim();
  // Files or hunks the operator reverted since the last turn lead the note (read before goal_continued is logged).
  const turnNote = withRevertNotes(stores, goalId, note);
  const goal: Goal = { ...info.goal, budget };
  const admitted = await runner.continueEnded(goal, { usage, totalTurns: info.totalTurns }, note, turnNote);
  return { budget, queuePosition: admitted.queued ? admitted.position : null };
}
