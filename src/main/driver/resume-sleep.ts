// A goal reattached after a restart while it slept: it sleeps on until its original wake time (the
// time already slept counts), then its next turn gets the usual tick prompt. Cancel ends the wait.
import type { DriverEvent } from '../../shared/events.js';
import type { GoalState } from './goal-state.js';
import { buildTickPrompt } from './prompt.js';

export interface ResumedSleep {
  /** When the sleep began, before the restart (ms since the epoch). */
  startedAt: number;
  /** When it ends (ms since the epoch). */
  wakeAt: number;
  reason: string;
}

/** Sleeps until `sleep.wakeAt`; returns the tick prompt of the next turn, or null when cancelled. */
export async function sleepUntilWake(
  goalId: string,
  state: GoalState,
  sleep: ResumedSleep,
  publish: (event: DriverEvent) => void,
  now: () => number = Date.now,
): Promise<string | null> {
  const remaining = Math.max(0, Math.round(sleep.wakeAt - now()));
  // Logged again so the goal shows as sleeping, and a further restart finds the same wake time.
  publish({ kind: 'sleep_started', goalId, durationMs: remaining, reason: sleep.reason });
  const wake = await state.sleep(remaining);
  if (wake.kind === 'cancelled') return null;
  return buildTickPrompt(sleep.reason, Math.max(0, now() - sleep.startedAt));
}
