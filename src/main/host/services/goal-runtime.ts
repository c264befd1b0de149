// What the command handlers need to know about goals that are running right now (answered by
// the goal runner, which owns the driver).
import type { Goal } from '../../../shared/domain/goal.js';
import type { WorkspaceInfo } from '../../../shared/domain/views.js';

export interface GoalRuntime {
  isTurnRunning(goalId: string): boolean;
  /** Where the goal works (worktree path, branch), whether or not it runs. */
  workspaceInfo(goal: Goal): WorkspaceInfo | null;
}
