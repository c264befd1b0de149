import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiffStat } from '../../../src/shared/domain/goal.js';
import type { DriverEvent } from '../../../src/shared/events.js';
import { perTurn } from '../../../src/shared/domain/per-turn.js';
import { GOAL_LIST_RECENT_TURNS } from '../../../src/shared/domain/goal-list.js';
import { attemptResult, goalOutcome, makeGoal, tempStores, usage } from './helpers.js';

type Harness = ReturnType<typeof tempStores>;
let harness: Harness | null = null;
afterEach(() => {
  harness?.cleanup();
  harness = null;
});
function setup(): Harness {
  harness = tempStores();
  return harness;
}

const diffStat: DiffStat = {
  files: [{ path: 'src/a.ts', oldPath: null, status: 'modified', added: 3, removed: 1, binary: false }],
  added: 3,
  removed: 1,
};

describe('projections', () => {
  it("gives the goal list each goal's tokens per turn: a retried turn summed, a turn index with no record 0", () => {
    const h = setup();
    const goal = makeGoal();
    const id = goal.id;
    const turn = (turnIndex: number, turnTokens: number): DriverEvent[] => [
      { kind: 'attempt_started', goalId: id, turnIndex, usage: usage(), compact: false, prompt: '' },
      { kind: 'attempt_completed', goalId: id, result: attemptResult(id, turnIndex, { turnTokens }) },
    ];
    h.stores.events.append({ kind: 'goal_started', goalId: id, goal });
    expect(h.stores.goals.list()[0]?.tokensPerTurn).toEqual([]);
    for (const event of [...turn(0, 1000), ...turn(0, 300), ...turn(2, 500)]) h.stores.events.append(event);

    const row = h.stores.goals.list()[0];
    expect(row?.tokensPerTurn).toEqual([1300, 0, 500]);
    expect(row?.tokensPerTurnFrom).toBe(0);
    // The same numbers the goal's details give the console's usage charts.
    const turns = h.stores.turns.turnsForGoal(id);
    expect(turns.map((record) => [record.turnIndex, record.attempt])).toEqual([
      [0, 1],
      [0, 2],
      [2, 1],
    ]);
    expect(row?.tokensPerTurn).toEqual(perTurn(turns, (record) => record.tokens));
    expect(h.stores.goals.summary(id)?.tokensPerTurn).toEqual([1300, 0, 500]);

    // A damaged turn row (a turn index no goal reaches, negative tokens) costs the sparkline only.
    for (const [column, value] of [
      ['turn_index', 1e12],
      ['tokens', -5],
    ] as const) {
      h.stores.db.prepare(`UPDATE turns SET ${column} = ? WHERE goal_id = ? AND turn_index = 2`).run(value, id);
      const damaged = h.stores.goals.list();
      expect(damaged.map((listed) => listed.goalId)).toEqual([id]);
      expect(damaged[0]?.tokensPerTurn).toEqual([]);
      h.stores.db
        .prepare(`UPDATE turns SET turn_index = 2, tokens = 500 WHERE goal_id = ? AND turn_index = ?`)
        .run(id, value);
    }
  });

  it("carries only the goal's most recent turns' tokens, and the turn index they start at", () => {
    const h = setup();
    const goal = makeGoal();
    const id = goal.id;
    h.stores.events.append({ kind: 'goal_started', goalId: id, goal });
    const turnCount = GOAL_LIST_RECENT_TURNS + 6;
    for (let turnIndex = 0; turnIndex < turnCount; turnIndex++) {
      // Turn 10 has no record at all; turn 20 was tried twice.
      if (turnIndex === 10) continue;
      for (let attempt = 0; attempt < (turnIndex === 20 ? 2 : 1); attempt++) {
        h.stores.events.append({
          kind: 'attempt_started',
          goalId: id,
          turnIndex,
          usage: usage(),
          compact: false,
          prompt: '',
        });
        h.stores.events.append({
          kind: 'attempt_completed',
          goalId: id,
          result: attemptResult(id, turnIndex, { turnTokens: 100 + turnIndex }),
        });
      }
    }
    const all = perTurn(h.stores.turns.turnsForGoal(id), (record) => record.tokens);
    expect(all).toHaveLength(turnCount);
    const row = h.stores.goals.list()[0];
    expect(row?.tokensPerTurnFrom).toBe(6);
    expect(row?.tokensPerTurn).toEqual(all.slice(6));
    expect(row?.tokensPerTurn[10 - 6]).toBe(0);
    expect(row?.tokensPerTurn[20 - 6]).toBe(2 * 120);
    expect(h.stores.goals.summary(id)).toMatchObject({ tokensPerTurnFrom: 6, tokensPerTurn: all.slice(6) });
  });

  it('a goal run gives the right goal row and turn rows', () => {
    const h = setup();
    const goal = makeGoal();
    const id = goal.id;
    const events: DriverEvent[] = [
      { kind: 'goal_started', goalId: id, goal },
      { kind: 'attempt_started', goalId: id, turnIndex: 0, usage: usage(), compact: false, prompt: 'do it' },
      {
        kind: 'checkpoint',
        goalId: id,
        turnIndex: 0,
        phase: 'pre',
        ref: `refs/overseer/${id}/0-pre`,
        sha: 'a0',
        diffStat: null,
      },
      {
        kind: 'checkpoint',
        goalId: id,
        turnIndex: 0,
        phase: 'post',
        ref: `refs/overseer/${id}/0-post`,
        sha: 'b0',
        diffStat,
      },
      {
        kind: 'attempt_completed',
        goalId: id,
        result: attemptResult(id, 0, { preCheckpoint: 'a0', postCheckpoint: 'b0', sessionId: 'sess-A' }),
      },
      {
        kind: 'progress',
        goalId: id,
        turnIndex: 1,
        usage: usage({ turns: 1, tokens: 1500, costUsd: 0.015 }),
        lastText: null,
      },
      {
        kind: 'attempt_started',
        goalId: id,
        turnIndex: 1,
        usage: usage({ turns: 1, tokens: 1500 }),
        compact: false,
        prompt: '',
      },
      {
        kind: 'attempt_completed',
        goalId: id,
        result: attemptResult(id, 1, {
          outcome: { kind: 'done' },
          usageAfter: usage({ turns: 2, tokens: 2600, costUsd: 0.03 }),
          turnTokens: 1100,
          turnCostUsd: 0.015,
          permissionDenials: 1,
        }),
      },
    ];
    for (const event of events) h.stores.events.append(event);

    const running = h.stores.goals.get(id);
    expect(running?.status).toBe('running');
    expect(running?.usage).toEqual(usage({ turns: 2, tokens: 2600, costUsd: 0.03 }));
    expect(running?.totalTurns).toBe(2);

    const turns = h.stores.turns.turnsForGoal(id);
    expect(turns).toHaveLength(2);
    expect(turns[0]).toMatchObject({
      turnIndex: 0,
      attempt: 1,
      status: 'completed',
      prompt: 'do it',
      outcome: { kind: 'continue', reason: 'more to do' },
      tokens: 1000,
      costUsd: 0.01,
      diffStat,
      preCheckpoint: { ref: `refs/overseer/${id}/0-pre`, sha: 'a0' },
      postCheckpoint: { ref: `refs/overseer/${id}/0-post`, sha: 'b0' },
      sessionId: 'sess-A',
      usageBefore: usage(),
    });
    expect(turns[0]?.startedAt).not.toBeNull();
    expect(turns[0]?.endedAt).not.toBeNull();
    expect(turns[1]).toMatchObject({
      turnIndex: 1,
      attempt: 1,
      outcome: { kind: 'done' },
      permissionDenials: 1,
      tokens: 1100,
    });

    h.stores.events.append({ kind: 'goal_completed', goalId: id, outcome: goalOutcome(id) });
    const done = h.stores.goals.get(id);
    expect(done?.status).toBe('done');
    expect(done?.outcome?.outcome).toEqual({ kind: 'done' });
    expect(done?.totalTurns).toBe(2);
    expect(done?.endedAt).not.toBeNull();
    const summary = h.stores.goals.list().find((row) => row.goalId === id);
    expect(summary).toMatchObject({
      status: 'done',
      totalTurns: 2,
      tokens: 2000,
      costUsd: 0.02,
      pendingPermissions: 0,
    });
  });

  it('pause, resume, sleep, and terminal statuses from goal_completed', () => {
    const h = setup();
    const goal = makeGoal();
    const id = goal.id;
    const status = () => h.stores.goals.get(id)?.status;
    h.stores.events.append({ kind: 'goal_started', goalId: id, goal });
    expect(status()).toBe('running');
    h.stores.events.append({ kind: 'goal_paused', goalId: id });
    expect(status()).toBe('paused');
    h.stores.events.append({ kind: 'goal_resumed', goalId: id });
    expect(status()).toBe('running');
    h.stores.events.append({ kind: 'sleep_started', goalId: id, durationMs: 60_000, reason: 'waiting for CI' });
    expect(status()).toBe('sleeping');
    h.stores.events.append({
      kind: 'attempt_started',
      goalId: id,
      turnIndex: 0,
      usage: usage(),
      compact: false,
      prompt: '',
    });
    expect(status()).toBe('running');
    h.stores.events.append({
      kind: 'goal_completed',
      goalId: id,
      outcome: goalOutcome(id, { outcome: { kind: 'budget_exhausted', axis: 'tokens' } }),
    });
    expect(status()).toBe('budget_exhausted');
    // The open turn was closed as interrupted; a late pause does not revive a finished goal.
    expect(h.stores.turns.turnsForGoal(id)[0]?.status).toBe('interrupted');
    h.stores.events.append({ kind: 'goal_paused', goalId: id });
    expect(status()).toBe('budget_exhausted');

    const cases: [Parameters<typeof goalOutcome>[1], string][] = [
      [{ outcome: { kind: 'cancelled' } }, 'cancelled'],
      [{ outcome: { kind: 'escalate', reason: 'stuck' } }, 'escalated'],
      [{ outcome: { kind: 'done' }, error: 'acceptance evaluator threw' }, 'failed'],
    ];
    for (const [overrides, expected] of cases) {
      const other = makeGoal();
      h.stores.events.append({ kind: 'goal_started', goalId: other.id, goal: other });
      h.stores.events.append({ kind: 'goal_completed', goalId: other.id, outcome: goalOutcome(other.id, overrides) });
      expect(h.stores.goals.get(other.id)?.status).toBe(expected);
    }
  });

  it('a retried turn index gets attempt 2; a checkpoint before attempt_started is folded into that attempt', () => {
    const h = setup();
    const goal = makeGoal();
    const id = goal.id;
    h.stores.events.append({ kind: 'goal_started', goalId: id, goal });
    h.stores.events.append({
      kind: 'attempt_started',
      goalId: id,
      turnIndex: 0,
      usage: usage(),
      compact: false,
      prompt: 'p1',
    });
    h.stores.events.append({
      kind: 'attempt_completed',
      goalId: id,
      result: attemptResult(id, 0, { outcome: { kind: 'escalate', reason: 'session broke' } }),
    });
    // Pre-checkpoint first this time, then the retry's attempt_started.
    h.stores.events.append({
      kind: 'checkpoint',
      goalId: id,
      turnIndex: 0,
      phase: 'pre',
      ref: 'r-pre',
      sha: 's-pre',
      diffStat: null,
    });
    h.stores.events.append({
      kind: 'attempt_started',
      goalId: id,
      turnIndex: 0,
      usage: usage(),
      compact: true,
      prompt: 'p2',
    });
    h.stores.events.append({
      kind: 'attempt_completed',
      goalId: id,
      result: attemptResult(id, 0, { outcome: { kind: 'done' } }),
    });

    const turns = h.stores.turns.turnsForGoal(id);
    expect(turns.map((t) => [t.turnIndex, t.attempt, t.status, t.prompt])).toEqual([
      [0, 1, 'completed', 'p1'],
      [0, 2, 'completed', 'p2'],
    ]);
    expect(turns[1]?.compact).toBe(true);
    expect(turns[1]?.preCheckpoint).toEqual({ ref: 'r-pre', sha: 's-pre' });
    expect(turns[0]?.preCheckpoint).toBeNull();
  });

  it('turn_limit_raised updates the stored goal budget', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    h.stores.events.append({ kind: 'turn_limit_raised', goalId: goal.id, maxTurns: 99 });
    expect(h.stores.goals.get(goal.id)?.goal.budget.maxTurns).toBe(99);
  });

  it('permission rows have one writer, the record store: permission events are logged, not projected', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    const request = (toolName: string) => ({
      id: randomUUID(),
      goalId: goal.id,
      turnIndex: 0,
      toolName,
      toolUseId: 'toolu_1',
      input: { command: 'ls' },
      createdAt: new Date().toISOString(),
    });
    const first = request('Bash');
    const second = request('Write');
    // An event alone writes no row (the broker records before it publishes).
    h.stores.events.append({ kind: 'permission_requested', goalId: goal.id, request: second });
    h.stores.events.flush();
    expect(h.stores.permissions.get(second.id)).toBeNull();
    expect(h.stores.goals.list()[0]?.pendingPermissions).toBe(0);

    h.stores.permissions.insertPending(first);
    h.stores.events.append({ kind: 'permission_requested', goalId: goal.id, request: first });
    expect(h.stores.goals.list()[0]?.pendingPermissions).toBe(1);

    // A decided event does not decide the row either: only recordDecision does.
    h.stores.events.append({
      kind: 'permission_decided',
      goalId: goal.id,
      requestId: first.id,
      toolName: 'Bash',
      decision: { behavior: 'allow', updatedInput: { command: 'ls' } },
      decidedBy: { kind: 'operator' },
    });
    h.stores.events.flush();
    expect(h.stores.permissions.get(first.id)?.status).toBe('pending');
    h.stores.permissions.recordDecision(
      first.id,
      { behavior: 'allow', updatedInput: { command: 'ls' } },
      { kind: 'operator' },
      new Date().toISOString(),
    );
    expect(h.stores.goals.list()[0]?.pendingPermissions).toBe(0);
    const record = h.stores.permissions.get(first.id);
    expect(record).toMatchObject({
      status: 'decided',
      decision: { behavior: 'allow' },
      decidedBy: { kind: 'operator' },
    });
    expect(record?.decidedAt).not.toBeNull();
  });

  it('an event whose projection fails is still logged and the failure reported', () => {
    const h = setup();
    const ghost = randomUUID();
    const seq = h.stores.events.append({
      kind: 'attempt_started',
      goalId: ghost,
      turnIndex: 0,
      usage: usage(),
      compact: false,
      prompt: '',
    });
    h.stores.events.flush();
    expect(h.stores.events.eventsForGoal(ghost, { limit: 5 }).map((e) => e.seq)).toEqual([seq]);
    expect(h.stores.turns.turnsForGoal(ghost)).toEqual([]);
    expect(h.errors.some((e) => e.context.startsWith(`projecting event ${seq}`))).toBe(true);
  });

  it('goal_started again (resume) keeps usage and turns and sets running', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    h.stores.events.append({ kind: 'attempt_completed', goalId: goal.id, result: attemptResult(goal.id, 0) });
    h.stores.goals.setStatus(goal.id, 'interrupted');
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    const record = h.stores.goals.get(goal.id);
    expect(record?.status).toBe('running');
    expect(record?.totalTurns).toBe(1);
    expect(record?.usage.tokens).toBe(1000);
  });
});
