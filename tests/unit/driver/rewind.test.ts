import { afterEach, describe, expect, it } from 'vitest';
import { isResumeAtMissing, rewindLaunch } from '../../../src/main/driver/rewind.js';
import { composeTurnPrompt } from '../../../src/main/driver/prompt.js';
import { sleepUntilWake } from '../../../src/main/driver/resume-sleep.js';
import { GoalState } from '../../../src/main/driver/goal-state.js';
import { planRewind } from '../../../src/main/host/rewind-plan.js';
import type { DriverEvent } from '../../../src/shared/events.js';
import { makeGoal } from './support/goals.js';
import { tempStores } from '../store/helpers.js';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('rewinding the conversation', () => {
  it('resumes at the message and forks, or starts fresh', () => {
    expect(rewindLaunch({ goalId: 'g', sessionId: 's', resumeAt: 'u-1', note: 'n' })).toEqual({
      resumeSessionId: 's',
      args: ['--resume-session-at', 'u-1', '--fork-session'],
    });
    expect(rewindLaunch({ goalId: 'g', sessionId: null, resumeAt: null, note: 'n' })).toEqual({
      resumeSessionId: null,
      args: [],
    });
    expect(isResumeAtMissing('', 'No message found with message.uuid of: x')).toBe(true);
    expect(isResumeAtMissing('API Error')).toBe(false);
  });

  it('the rollback note leads the prompt', () => {
    const prompt = composeTurnPrompt({
      description: 'Fix it',
      turnIndex: 2,
      maxTurns: 5,
      priorFailures: [],
      operatorNotes: ['a note'],
      tickPrompt: null,
      compactSummary: null,
      rollbackNote: 'turn 2 undone',
    });
    expect(prompt.startsWith('[FILES ROLLED BACK]\nturn 2 undone\n[END FILES ROLLED BACK]\n')).toBe(true);
    expect(prompt).toContain('[OPERATOR INTERRUPT]');
  });

  it('plans a resume at the last assistant message before the turn, or a fresh session with the summary', () => {
    const h = tempStores();
    cleanup = h.cleanup;
    const { stores } = h;
    const goal = makeGoal();
    stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    const line = (uuid: string, session: string) =>
      JSON.stringify({ type: 'assistant', uuid, session_id: session, message: { content: [] } });
    stores.transcripts.appendLine(goal.id, 0, JSON.stringify({ type: 'system', subtype: 'init', session_id: 's-1' }));
    stores.transcripts.appendLine(goal.id, 0, line('u-0a', 's-1'));
    stores.transcripts.appendLine(goal.id, 0, line('u-0b', 's-1'));
    stores.transcripts.appendLine(
      goal.id,
      0,
      JSON.stringify({ type: 'result', subtype: 'success', uuid: 'r-0', session_id: 's-1' }),
    );
    stores.transcripts.appendLine(goal.id, 1, line('u-1', 's-1'));
    stores.transcripts.appendLine(goal.id, 2, line('u-2', 's-1'));

    const rewind = planRewind(stores, goal.id, 2, 2);
    expect(rewind).toMatchObject({ sessionId: 's-1', resumeAt: 'u-1' });
    expect(rewind.note).toContain('the changes of turn 3 are undone');
    expect(planRewind(stores, goal.id, 1, 2)).toMatchObject({
      resumeAt: 'u-0b',
      note: expect.stringContaining('turns 2–3'),
    });

    stores.compactSummaries.store({
      goalId: goal.id,
      summary: 'EARLY SUMMARY',
      turnIndex: 0,
      beforeTokens: 1,
      afterTokens: 1,
      storedAt: 't',
    });
    const fresh = planRewind(stores, goal.id, 0, 2);
    expect(fresh).toMatchObject({ sessionId: null, resumeAt: null });
    expect(fresh.note).toContain('before the first turn');
    expect(fresh.note).toContain('new conversation');
  });
});

describe('a sleep resumed after a restart', () => {
  it('sleeps only the time left and gives the tick prompt with the time since the sleep began', async () => {
    const state = new GoalState();
    const events: DriverEvent[] = [];
    const now = Date.now();
    const tick = await sleepUntilWake(
      'g',
      state,
      { startedAt: now - 60_000, wakeAt: now + 30, reason: 'waiting for CI' },
      (event) => events.push(event),
    );
    expect(events).toMatchObject([{ kind: 'sleep_started', durationMs: expect.any(Number), reason: 'waiting for CI' }]);
    expect(tick).toMatch(/^<tick>\nkind: sleep_wake\nelapsed_ms: (\d+)\nreason: waiting for CI\n<\/tick>$/);
    expect(Number(/elapsed_ms: (\d+)/.exec(tick ?? '')?.[1])).toBeGreaterThanOrEqual(60_000);
  });

  it('a cancel ends the wait', async () => {
    const state = new GoalState();
    const waiting = sleepUntilWake(
      'g',
      state,
      { startedAt: Date.now(), wakeAt: Date.now() + 600_000, reason: 'r' },
      () => undefined,
    );
    state.cancelled = true;
    state.notify();
    expect(await waiting).toBeNull();
  });
});
