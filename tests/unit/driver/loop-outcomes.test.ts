import { describe, expect, it } from 'vitest';
import { harness, harnessPerTest, npmTestFailure } from './support/driver-harness.js';
import { done, outcome } from './support/scripted-runner.js';
import { continueBecause } from '../../../src/main/driver/turn-verdict.js';

const use = harnessPerTest();

const failure = npmTestFailure('FAIL src/a.test.ts\nexpected 2, got 3');

describe('GoalDriver loop outcomes', () => {
  it('a goal done in one turn: events in order, permission turn tracking, handle closed', async () => {
    const t = use(harness([done]));
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({
      goalId: t.goal.id,
      outcome: { kind: 'done' },
      error: null,
      totalTurns: 1,
      finalText: 'reply 0',
    });
    expect(result.usage.turns).toBe(1);
    expect(t.events.kinds()).toEqual([
      'goal_started',
      'attempt_started',
      'checkpoint',
      'checkpoint',
      'attempt_completed',
      'goal_completed',
    ]);
    const [pre, post] = t.events.of('checkpoint');
    expect(pre).toMatchObject({ phase: 'pre', turnIndex: 0, diffStat: null });
    expect(post).toMatchObject({ phase: 'post', turnIndex: 0, diffStat: { files: [], added: 0, removed: 0 } });
    expect(t.events.of('attempt_completed')[0]?.result).toMatchObject({
      turnIndex: 0,
      preCheckpoint: pre?.sha,
      postCheckpoint: post?.sha,
      usageAfter: { turns: 1 },
    });
    expect(t.permissions.turns).toEqual([0, null]);
    expect(t.permissions.closed).toEqual([`${t.goal.id}: goal ended: done`]);
    expect(t.runner.calls[0]?.mcpConfigPath).toBe(`${t.goalFilesDir}/${t.goal.id}/mcp-config.json`);
    expect(t.runner.prompts[0]).toBe('Make the tests pass.\n\n[Turn 1/40]');
    expect(t.driver.runningGoalIds()).toEqual([]);
  });

  it('needs_retry feeds the failures into the next prompt, then done', async () => {
    const t = use(harness([outcome({ kind: 'needs_retry', failures: [failure] }), done]));
    const verdict = { met: false, failures: [failure], evaluatedAt: new Date().toISOString(), elapsedMs: 5 };
    t.runner.steps[0] = () => ({ outcome: { kind: 'needs_retry', failures: [failure] }, acceptance: verdict });
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(result.totalTurns).toBe(2);
    expect(t.runner.prompts[1]).toContain(
      'Previous attempt failed:\n  1. shell:npm test: exit 1 != 0\n     | FAIL src/a.test.ts\n     | expected 2, got 3',
    );
    expect(t.runner.prompts[1]).toContain('[Turn 2/40]');
    expect(t.events.of('acceptance')).toEqual([{ kind: 'acceptance', goalId: t.goal.id, turnIndex: 0, verdict }]);
  });

  it('turn budget: stops with budget_exhausted{turns} after max turns', async () => {
    const t = use(
      harness([], {
        goal: { budget: { maxTurns: 2 } },
        fallback: outcome({ kind: 'needs_retry', failures: [failure] }),
      }),
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
    expect(result.totalTurns).toBe(2);
    expect(t.events.of('budget_exhausted')[0]).toMatchObject({ axis: 'turns', usage: { turns: 2 } });
    expect(t.events.kinds().at(-1)).toBe('goal_completed');
  });

  it.each([
    ['tokens', { maxTokens: 25 }],
    ['wall_time', { maxWallTimeMs: 2 }],
    ['cost', { maxCostUsd: 0.05 }],
  ] as const)('budget axis %s from the attempts usage', async (axis, budget) => {
    const t = use(
      harness([], {
        goal: { budget },
        fallback: (params) => ({
          outcome: { kind: 'needs_retry', failures: [failure] },
          usageAfter: {
            ...params.usage,
            tokens: params.usage.tokens + 10,
            wallTimeMs: params.usage.wallTimeMs + 1,
            costUsd: params.usage.costUsd + 0.02,
          },
        }),
      }),
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis });
  });

  it('consecutive denies come from the permission path (deny +1, allow resets)', async () => {
    const t = use(harness([], { goal: { budget: { maxConsecutiveDenies: 2 } } }));
    const deny = { behavior: 'deny' as const, message: 'no', interrupt: false };
    const allow = { behavior: 'allow' as const, updatedInput: {} };
    t.runner.steps.push(
      () => {
        t.permissions.decide(t.goal.id, deny);
        t.permissions.decide(t.goal.id, allow);
        t.permissions.decide(t.goal.id, deny);
        return { outcome: continueBecause('no_result') };
      },
      () => {
        t.permissions.decide(t.goal.id, deny);
        return { outcome: continueBecause('no_result') };
      },
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'consecutive_denies' });
    expect(result.totalTurns).toBe(2);
    expect(result.usage.consecutiveDenies).toBe(2);
  });

  it('sleep waits, then the next turn carries the tick prompt', async () => {
    const t = use(harness([outcome({ kind: 'sleep', durationMs: 1, reason: 'waiting for new work' }), done]));
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
    expect(t.events.of('sleep_started')[0]).toMatchObject({ durationMs: 1, reason: 'waiting for new work' });
    expect(t.runner.prompts[1]).toMatch(
      /^<tick>\nkind: sleep_wake\nelapsed_ms: \d+\nreason: waiting for new work\n<\/tick>\n\nMake the tests pass\./,
    );
  });

  it('continue → next turn (counted, no rollback)', async () => {
    const t = use(harness([outcome(continueBecause('no_result')), done]));
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
    expect(t.events.of('replay_decision')[0]).toMatchObject({
      turnIndex: 1,
      decision: { kind: 'next_turn', rollbackTo: null },
    });
    expect(t.workspaces.calls.filter((call) => call.startsWith('rollback'))).toEqual([]);
  });

  it('lost session → fresh session retry: binding invalidated, rollback to the pre-turn snapshot, turn not counted', async () => {
    const t = use(harness([outcome(continueBecause('session_invalid')), done]));
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1 });
    expect(t.bindings.invalidated).toEqual([t.goal.id]);
    const pre = t.events.of('checkpoint')[0];
    expect(t.events.of('replay_decision')[0]?.decision).toEqual({ kind: 'fresh_session_retry', rollbackTo: pre?.sha });
    expect(t.events.of('rollback')).toEqual([
      { kind: 'rollback', goalId: t.goal.id, turnIndex: 0, phase: 'pre', sha: pre?.sha },
    ]);
    expect(t.runner.calls.map((call) => call.turnIndex)).toEqual([0, 0]);
    expect(t.runner.calls[1]?.usage.consecutiveErrors).toBe(1);
    expect(result.usage.consecutiveErrors).toBe(0);
  });

  it('persistent transient errors escalate after one fresh retry', async () => {
    const t = use(harness([], { fallback: outcome({ kind: 'escalate', reason: 'API Error: 529 Overloaded' }) }));
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({
      kind: 'escalate',
      reason: 'transient errors persist after 1 retries: API Error: 529 Overloaded',
    });
    expect(t.events.of('escalate')).toHaveLength(1);
    expect(t.runner.calls).toHaveLength(2);
  });

  it('prompt too long → a forced compact turn, interrupts kept for the real turn, 413 counter reset after success', async () => {
    const t = use(harness([]));
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    t.runner.steps.push(
      () => {
        t.driver.interrupt(t.goal.id, 'keep me');
        return { outcome: { kind: 'escalate', reason: 'Prompt is too long · the request is ~250000 tokens' } };
      },
      () => ({ outcome: { kind: 'done' }, compactSummary: 'summary of the work' }),
      outcome({ kind: 'needs_retry', failures: [failure] }),
      done,
    );
    const result = await t.driver.runGoal(t.goal);
    expect(result).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
    expect(t.runner.calls.map((call) => [call.turnIndex, call.compact])).toEqual([
      [0, false],
      [0, true],
      [0, false],
      [1, false],
    ]);
    expect(t.runner.prompts[1]).toBe('/compact continue goal: Make the tests pass.');
    expect(t.runner.prompts[2]).toContain('[OPERATOR INTERRUPT]\nkeep me\n');
    expect(t.events.of('compact_requested')[0]).toMatchObject({ trigger: 'prompt_too_long', turnIndex: 0 });
    expect(t.events.of('attempt_started')[1]).toMatchObject({ compact: true });
    expect(t.events.of('compact_completed')).toHaveLength(1);
    expect(t.summaries.stored[0]).toMatchObject({ goalId: t.goal.id, summary: 'summary of the work' });
    expect(t.runner.calls[2]?.usage.consecutive413).toBe(1);
    expect(t.runner.calls[3]?.usage.consecutive413).toBe(0);
    // A compact turn takes no checkpoints.
    expect(t.workspaces.calls.filter((call) => call.startsWith('checkpoint'))).toEqual([
      'checkpoint 0-pre',
      'checkpoint 0-post',
      'checkpoint 0-pre',
      'checkpoint 0-post',
      'checkpoint 1-pre',
      'checkpoint 1-post',
    ]);
  });

  it('repeated prompt-too-long exhausts the 413 axis', async () => {
    const t = use(harness([], { fallback: outcome({ kind: 'escalate', reason: 'prompt too long' }) }));
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'consecutive_413' });
    expect(result.totalTurns).toBe(0);
  });

  it('proactive compaction on token pressure; the compact turn does not count', async () => {
    const t = use(
      harness([], {
        goal: { budget: { maxTurns: 7 } },
        config: { contextWindow: 100, compactPolicy: undefined },
        fallback: (params) => ({
          outcome: params.compact ? { kind: 'done' } : { kind: 'needs_retry', failures: [failure] },
          usageAfter: { ...params.usage, tokens: params.usage.tokens + 20 },
        }),
      }),
    );
    t.bindings.upsert({ goalId: t.goal.id, sessionId: 'session-1', model: null, workspace: null });
    const result = await t.driver.runGoal(t.goal);
    expect(result.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
    expect(result.totalTurns).toBe(7);
    const compacts = t.runner.calls.filter((call) => call.compact);
    expect(compacts.map((call) => call.turnIndex)).toEqual([5]);
    expect(t.events.of('compact_requested')[0]).toMatchObject({
      trigger: 'token_pressure',
      turnIndex: 5,
      beforeTokens: 100,
      tokenPressure: 1,
    });
    expect(t.events.of('compact_summary_stored')).toHaveLength(1);
  });

  it('progress beacons every N counted turns', async () => {
    const t = use(
      harness([], {
        goal: { budget: { maxTurns: 4 } },
        config: { progressEveryTurns: 2 },
        fallback: outcome({ kind: 'needs_retry', failures: [failure] }),
      }),
    );
    await t.driver.runGoal(t.goal);
    expect(t.events.of('progress').map((e) => e.turnIndex)).toEqual([2, 4]);
  });

  it('every goal ends with goal_completed, also when something throws', async () => {
    const t = use(harness([() => Promise.reject(new Error('runner exploded'))]));
    const result = await t.driver.runGoal(t.goal);
    expect(result.error).toBe('runner exploded');
    expect(result.outcome).toEqual({ kind: 'escalate', reason: 'driver error: runner exploded' });
    expect(t.events.kinds().at(-1)).toBe('goal_completed');
    expect(t.events.of('goal_completed')[0]?.outcome.error).toBe('runner exploded');
    expect(t.permissions.closed).toHaveLength(1);
    expect(t.driver.runningGoalIds()).toEqual([]);
    expect(() => t.driver.pause(t.goal.id)).toThrow(/not running/);

    const u = harness([done]);
    try {
      u.workspaces.failEnsure = new Error('not a git repository');
      const failed = await u.driver.runGoal(u.goal);
      expect(failed.error).toBe('not a git repository');
      expect(u.events.kinds()).toEqual(['goal_started', 'goal_completed']);
      // the same goal can run again afterwards
      u.workspaces.failEnsure = null;
      expect((await u.driver.runGoal(u.goal)).outcome).toEqual({ kind: 'done' });
    } finally {
      u.cleanup();
    }
  });

  it('resume continues the turn count and usage from the store', async () => {
    const t = use(harness([done], { goal: { budget: { maxTurns: 10 } } }));
    const result = await t.driver.runGoal(t.goal, {
      resume: {
        usage: {
          turns: 3,
          wallTimeMs: 100,
          tokens: 500,
          costUsd: 0.5,
          consecutiveDenies: 0,
          consecutiveErrors: 0,
          consecutive413: 0,
        },
        totalTurns: 3,
      },
    });
    expect(result.totalTurns).toBe(4);
    expect(result.usage).toMatchObject({ turns: 4, tokens: 510, costUsd: 0.5 });
    expect(t.runner.calls[0]?.turnIndex).toBe(3);
    expect(t.runner.prompts[0]).toContain('[Turn 4/10]');
  });

  it('a stored compact summary is offered on the first turn when there is no session', async () => {
    const t = use(harness([done]));
    t.summaries.store({
      goalId: t.goal.id,
      summary: 'earlier: did X',
      turnIndex: 2,
      beforeTokens: 1,
      afterTokens: 1,
      storedAt: new Date().toISOString(),
    });
    await t.driver.runGoal(t.goal);
    expect(t.runner.prompts[0]).toContain('[SUMMARY OF EARLIER WORK]\nearlier: did X\n');
  });
});
