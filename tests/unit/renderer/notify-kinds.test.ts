// Goal notifications: which events notify and what they say; the per-kind switches round-trip
// through storage and a bad entry falls back to all on.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, type BudgetUsage } from '../../../src/shared/domain/goal';
import type { DriverEvent } from '../../../src/shared/events';
import {
  DEFAULT_NOTIFY_PREFS,
  goalNotice,
  loadNotifyPrefs,
  saveNotifyPrefs,
} from '../../../src/renderer/state/notify-kinds';

const usage: BudgetUsage = {
  turns: 3,
  wallTimeMs: 1000,
  tokens: 10,
  costUsd: 0,
  consecutiveDenies: 0,
  consecutiveErrors: 0,
  consecutive413: 0,
};

function completed(
  outcome: Extract<DriverEvent, { kind: 'goal_completed' }>['outcome']['outcome'],
  error: string | null = null,
): DriverEvent {
  return {
    kind: 'goal_completed',
    goalId: 'g1',
    outcome: { goalId: 'g1', outcome, error, totalTurns: 3, usage, finalText: null, acceptance: null, elapsedMs: 5 },
  };
}

describe('goalNotice', () => {
  it('a goal done', () => {
    expect(goalNotice(completed({ kind: 'done' }), 'Fix the tests')).toEqual({
      kind: 'done',
      title: 'Goal done',
      body: 'Fix the tests\n3 turns',
    });
  });

  it('a goal that failed, ran out of budget or escalated is a failure', () => {
    expect(goalNotice(completed({ kind: 'done' }, 'worktree vanished'), 'G')).toMatchObject({
      kind: 'failed',
      title: 'Goal failed',
      body: 'G\nworktree vanished',
    });
    expect(goalNotice(completed({ kind: 'budget_exhausted', axis: 'wall_time' }), 'G')).toMatchObject({
      kind: 'failed',
      body: 'G\nEnded at the wall time cap after 3 turns',
    });
    expect(goalNotice(completed({ kind: 'escalate', reason: 'stuck' }), 'G')).toMatchObject({ kind: 'failed' });
  });

  it('a goal paused at a cap', () => {
    const event: DriverEvent = { kind: 'budget_paused', goalId: 'g1', axis: 'tokens', usage, budget: DEFAULT_BUDGET };
    expect(goalNotice(event, 'G')).toMatchObject({ kind: 'paused', title: 'Paused at the tokens cap' });
  });

  it('a cancel (the operator did it) and other events do not notify', () => {
    expect(goalNotice(completed({ kind: 'cancelled' }), 'G')).toBeNull();
    expect(goalNotice({ kind: 'goal_paused', goalId: 'g1' }, 'G')).toBeNull();
  });
});

describe('notification switches', () => {
  it('round-trip, and fall back to all on when the entry is bad', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
    };
    expect(loadNotifyPrefs(storage)).toEqual(DEFAULT_NOTIFY_PREFS);
    saveNotifyPrefs({ prompt: true, done: false, failed: true, paused: false }, storage);
    expect(loadNotifyPrefs(storage)).toEqual({ prompt: true, done: false, failed: true, paused: false });
    data.set('overseer.notify.kinds', '[1,2]');
    expect(loadNotifyPrefs(storage)).toEqual(DEFAULT_NOTIFY_PREFS);
  });
});
