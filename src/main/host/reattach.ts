// What a starting host does with the goals an earlier host left behind: paused goals are driven
// again but stay paused (one paused at a budget cap waits at it again); sleeping goals sleep on until their wake time and then get the tick
// prompt; queued goals keep their places and start as slots allow; interrupted goals (they were
// running when Overseer stopped) are resumed only when Settings say so; otherwise the console
// offers "Resume all / Review".
import type { Stores } from '../store/index.js';
import type { GoalRunner } from './goal-runner.js';
import { resumeInterrupted } from './services/resume-interrupted.js';

export interface ReattachSummary {
  paused: string[];
  sleeping: string[];
  queued: string[];
  resumed: { started: number; queued: number };
  /** Goals that could not be reattached (left interrupted, with a warning). */
  failed: string[];
}

export async function reattachGoals(stores: Stores, runner: GoalRunner): Promise<ReattachSummary> {
  const summary: ReattachSummary = {
    paused: [],
    sleeping: [],
    queued: [],
    resumed: { started: 0, queued: 0 },
    failed: [],
  };
  const oldestFirst = (status: 'paused' | 'sleeping' | 'queued') =>
    stores.goals.list({ statuses: [status], limit: 10_000 }).reverse();

  for (const status of ['paused', 'sleeping'] as const) {
    for (const row of oldestFirst(status)) {
      const info = stores.resumeInfo(row.goalId);
      if (info === null) continue;
      try {
        await runner.start(info.goal, {
          usage: info.usage,
          totalTurns: info.totalTurns,
          sleep: status === 'sleeping' ? info.sleep : null,
        });
        // A goal paused at a budget cap needs no pause: its first budget check waits at the cap again.
        if (status === 'paused' && row.pausedAtCap === null) runner.pause(row.goalId);
        summary[status].push(row.goalId);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        stores.events.appendDurable({
          kind: 'driver_warning',
          goalId: row.goalId,
          message: `could not reattach the ${status} goal: ${message}`,
        });
        stores.goals.setStatus(row.goalId, 'interrupted');
        summary.failed.push(row.goalId);
      }
    }
  }

  const queued = oldestFirst('queued').map((row) => row.goalId);
  runner.restoreQueue(queued);
  summary.queued = runner.queuedGoalIds();
  await runner.startQueued();

  if (stores.settings.get('goals.running').resumeInterruptedAtStart) {
    const resumed = await resumeInterrupted(stores, runner);
    summary.resumed = { started: resumed.started, queued: resumed.queued };
  }
  return summary;
}
