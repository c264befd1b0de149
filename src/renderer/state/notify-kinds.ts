// Which desktop notifications the operator wants (one switch per kind, kept in this browser's
// localStorage and parsed on the way back in) and what a goal event says as a notification: a
// prompt, a goal done, a goal that failed or ended without meeting its goal, a goal paused at a cap.
// Plain data, no browser API: notify.ts shows them.
import { z } from 'zod';
import type { DriverEvent } from '../../shared/events';
import type { BudgetAxis } from '../../shared/domain/goal';

export const NOTIFY_KINDS = ['prompt', 'done', 'failed', 'paused'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export const NOTIFY_KIND_LABELS: Record<NotifyKind, string> = {
  prompt: 'A permission prompt waits',
  done: 'A goal is done',
  failed: 'A goal failed or ended without meeting its goal',
  paused: 'A goal paused at a budget cap',
};

const STORAGE_KEY = 'overseer.notify.kinds';
const PrefsSchema = z.object({
  prompt: z.boolean().default(true),
  done: z.boolean().default(true),
  failed: z.boolean().default(true),
  paused: z.boolean().default(true),
});
export type NotifyPrefs = z.infer<typeof PrefsSchema>;
export const DEFAULT_NOTIFY_PREFS: NotifyPrefs = { prompt: true, done: true, failed: true, paused: true };

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): Store | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function loadNotifyPrefs(storage: Store | null = browserStorage()): NotifyPrefs {
  try {
    const text = storage?.getItem(STORAGE_KEY) ?? null;
    if (text === null) return DEFAULT_NOTIFY_PREFS;
    const parsed = PrefsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_NOTIFY_PREFS;
  } catch {
    return DEFAULT_NOTIFY_PREFS;
  }
}

export function saveNotifyPrefs(prefs: NotifyPrefs, storage: Store | null = browserStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(prefs));
  } catch {
    // storage unavailable: the switches last for this page only
  }
}

export interface GoalNotice {
  kind: Exclude<NotifyKind, 'prompt'>;
  title: string;
  body: string;
}

const AXIS_WORDS: Record<BudgetAxis, string> = {
  turns: 'turns',
  wall_time: 'wall time',
  tokens: 'tokens',
  cost: 'cost',
  consecutive_denies: 'consecutive denies',
  consecutive_errors: 'consecutive errors',
  consecutive_413: 'too-long prompts',
};

/** The notification a goal event deserves, or null (a cancel is the operator's own doing). */
export function goalNotice(event: DriverEvent, goalLabel: string): GoalNotice | null {
  if (event.kind === 'budget_paused') {
    const axis = AXIS_WORDS[event.axis];
    return { kind: 'paused', title: `Paused at the ${axis} cap`, body: `${goalLabel}\nMore budget, or end it?` };
  }
  if (event.kind !== 'goal_completed') return null;
  const { outcome, error, totalTurns } = event.outcome;
  const turns = `${totalTurns} ${totalTurns === 1 ? 'turn' : 'turns'}`;
  if (error !== null) return { kind: 'failed', title: 'Goal failed', body: `${goalLabel}\n${error}` };
  switch (outcome.kind) {
    case 'done':
      return { kind: 'done', title: 'Goal done', body: `${goalLabel}\n${turns}` };
    case 'budget_exhausted':
      return {
        kind: 'failed',
        title: 'Budget exhausted',
        body: `${goalLabel}\nEnded at the ${AXIS_WORDS[outcome.axis]} cap after ${turns}`,
      };
    case 'escalate':
      return { kind: 'failed', title: 'Goal needs you', body: `${goalLabel}\n${outcome.reason}` };
    default:
      return null;
  }
}
