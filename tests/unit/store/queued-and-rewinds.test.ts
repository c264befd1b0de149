import { afterEach, describe, expect, it } from 'vitest';
import { makeGoal } from '../driver/support/goals.js';
import { tempStores } from './helpers.js';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('queued goals and session rewinds in the store', () => {
  it('goal_queued makes a pending goal queued; goal_started then running', () => {
    const h = tempStores();
    cleanup = h.cleanup;
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    h.stores.events.append({ kind: 'goal_queued', goalId: goal.id, position: 2 });
    h.stores.events.flush();
    expect(h.stores.goals.get(goal.id)?.status).toBe('queued');
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    h.stores.events.flush();
    expect(h.stores.goals.get(goal.id)?.status).toBe('running');
  });

  it('keeps one pending rewind per goal, falls back to fresh, clears, and goes with the goal', () => {
    const h = tempStores();
    cleanup = h.cleanup;
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    const rewinds = h.stores.sessionRewinds;
    expect(rewinds.pending(goal.id)).toBeNull();
    rewinds.set({ goalId: goal.id, sessionId: 's-1', resumeAt: 'u-1', note: 'first' });
    rewinds.set({ goalId: goal.id, sessionId: 's-1', resumeAt: 'u-0', note: 'second' });
    expect(rewinds.pending(goal.id)).toEqual({ goalId: goal.id, sessionId: 's-1', resumeAt: 'u-0', note: 'second' });
    rewinds.fallBackToFresh(goal.id);
    expect(rewinds.pending(goal.id)).toEqual({ goalId: goal.id, sessionId: null, resumeAt: null, note: 'second' });
    rewinds.clear(goal.id);
    expect(rewinds.pending(goal.id)).toBeNull();
    rewinds.set({ goalId: goal.id, sessionId: null, resumeAt: null, note: 'x' });
    h.stores.goals.delete(goal.id);
    expect(rewinds.pending(goal.id)).toBeNull();
  });
});
