// API and session errors with the real CLI: 400 (next turn), 529 overloaded (fresh session), prompt
// too long (forced compact turn, then retry), a lost session (fresh session), the sleep sentinel
// (tick prompt) and a missing claude binary (clear error).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const fileExists = (path: string): AcceptanceCriterion => ({
  kind: 'shell_command',
  command: `test -f ${path}`,
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
});

describe('errors through the replay policy', () => {
  it('API 400 → the turn counts, next turn', async () => {
    d = await startRealDriver((ctx) =>
      ctx.index === 0
        ? { httpError: { status: 400, type: 'invalid_request_error', message: 'bad thing' } }
        : { text: 'ok now' },
    );
    const outcome = await d.driver.runGoal(d.goal());
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'ok now' });
    expect(d.events.of('attempt_completed')[0]?.result.outcome).toEqual({
      kind: 'escalate',
      reason: 'API Error: 400 bad thing',
    });
    expect(d.events.of('replay_decision')).toMatchObject([
      { decision: { kind: 'next_turn', rollbackTo: null }, errorMessage: 'API Error: 400 bad thing' },
    ]);
  });

  it('API 529 overloaded (after the CLI own retries) → fresh session retry with rollback, not counted', async () => {
    d = await startRealDriver((ctx) =>
      ctx.index < 3
        ? { httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }
        : { text: 'recovered' },
    );
    const goal = d.goal();
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1, finalText: 'recovered' });
    const [decision] = d.events.of('replay_decision');
    expect(decision?.errorMessage).toMatch(/^API Error: 529 Overloaded/);
    const pre = d.events.of('checkpoint').find((e) => e.phase === 'pre');
    expect(decision?.decision).toEqual({ kind: 'fresh_session_retry', rollbackTo: pre?.sha });
    expect(d.events.of('rollback')).toHaveLength(1);
    expect(d.bindings.invalidated).toContain(goal.id);
    // The retry started a new session: no --resume of the failed one.
    const sessions = d.events.of('attempt_completed').map((e) => e.result.sessionId);
    expect(sessions[1]).not.toBe(sessions[0]);
    expect(d.events.of('turn_output').some((e) => e.entry.type === 'system' && e.entry.subtype === 'api_retry')).toBe(
      true,
    );
  });

  it('prompt too long → a forced compact turn with the session, then the same turn again', async () => {
    d = await startRealDriver((ctx) => {
      if (ctx.index === 0) return { text: 'looked around' };
      if (ctx.index === 1)
        return {
          httpError: {
            status: 400,
            type: 'invalid_request_error',
            message: 'prompt is too long: 250000 tokens > 200000 maximum',
          },
        };
      if (ctx.index === 2) return { text: 'SUMMARY: looked around, nothing written yet' };
      if (ctx.index === 3) return { toolUses: [{ name: 'Write', input: { file_path: 'done.txt', content: 'ok\n' } }] };
      return { text: 'finished' };
    });
    const goal = d.goal({ acceptance: [fileExists('done.txt')] });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'finished' });
    expect(d.events.of('replay_decision')).toMatchObject([{ decision: { kind: 'compact_and_retry' } }]);
    expect(d.events.of('compact_requested')).toMatchObject([{ trigger: 'prompt_too_long', turnIndex: 1 }]);
    const started = d.events.of('attempt_started').map((e) => [e.turnIndex, e.compact]);
    expect(started).toEqual([
      [0, false],
      [1, false],
      [1, true],
      [1, false],
    ]);
    expect(d.events.of('attempt_started')[2]?.prompt).toBe('/compact continue goal: Make the tests pass.');
    expect(d.events.of('compact_completed')).toHaveLength(1);
    expect(d.events.of('compact_summary_stored')).toHaveLength(1);
    // The retried turn ran in the compacted session: its request starts from the summary.
    expect(d.model.requests[3]?.allUserText).toContain('SUMMARY: looked around, nothing written yet');
    // The 413 counter was 1 during the retry and reset once a turn succeeded.
    expect(d.events.of('attempt_started')[3]?.usage.consecutive413).toBe(1);
    expect(outcome.usage.consecutive413).toBe(0);
  });

  it('a lost session → fresh session retry, and the goal goes on in a new session', async () => {
    d = await startRealDriver(() => ({ text: 'fresh start' }));
    const goal = d.goal();
    const bogus = randomUUID();
    d.bindings.upsert({ goalId: goal.id, sessionId: bogus, model: null, workspace: null });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1, finalText: 'fresh start' });
    expect(d.events.of('attempt_completed')[0]?.result.outcome).toEqual({
      kind: 'continue',
      reason: 'session invalid: retrying',
      cause: 'session_invalid',
    });
    expect(d.events.of('replay_decision')[0]?.decision.kind).toBe('fresh_session_retry');
    expect(d.bindings.invalidated).toContain(goal.id);
    const binding = d.bindings.get(goal.id);
    expect(binding?.sessionId).toBeTruthy();
    expect(binding?.sessionId).not.toBe(bogus);
    expect(d.model.requests).toHaveLength(1);
  });

  it('the sleep sentinel → sleep, then a turn with the tick prompt', async () => {
    d = await startRealDriver((ctx) =>
      ctx.index === 0
        ? { text: JSON.stringify({ __nexo_sleep__: true, duration_ms: 50, reason: 'waiting for CI' }) }
        : { text: 'awake' },
    );
    const outcome = await d.driver.runGoal(d.goal());
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'awake' });
    expect(d.events.of('sleep_started')).toMatchObject([{ durationMs: 50, reason: 'waiting for CI' }]);
    expect(d.model.requests[1]?.lastUserText).toMatch(
      /<tick>\nkind: sleep_wake\nelapsed_ms: \d+\nreason: waiting for CI\n<\/tick>\n\nMake the tests pass\./,
    );
  });

  it('a missing claude binary ends the goal with a clear error', async () => {
    d = await startRealDriver(() => ({ text: 'unused' }), { claudeBin: '/nonexistent/bin/claude' });
    const outcome = await d.driver.runGoal(d.goal());
    expect(outcome.error).toBe(
      'Claude Code was not found at /nonexistent/bin/claude. Install it with `npm install -g @anthropic-ai/claude-code`, or point Overseer to it with --claude PATH, the Claude binary setting, or the OVERSEER_CLAUDE_BIN environment variable.',
    );
    expect(d.events.kinds()).toEqual(['goal_started', 'goal_completed']);
  });
});
