// Restarting the goals an earlier host left interrupted: `goals.resumeInterrupted` and the start-up
// reattach (when Settings say so) both use it.
import type { Stores } from '../../store/index.js';
import type { GoalRunner } from '../goal-runner.js';

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
