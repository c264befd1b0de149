import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PermissionRequest, PermissionRule } from '../../../src/shared/domain/permission.js';
import {
  GoalExistsError,
  openStores,
  RuleExistsError,
  SNIPPET_MATCH_END,
  SNIPPET_MATCH_START,
  toFtsQuery,
} from '../../../src/main/store/index.js';
import { assistantTextLine, makeGoal, tempStores } from './helpers.js';

type Harness = ReturnType<typeof tempStores>;
let harness: Harness | null = null;
afterEach(() => {
  harness?.cleanup();
  harness = null;
});
function setup(options: Parameters<typeof tempStores>[0] = {}): Harness {
  harness = tempStores(options);
  return harness;
}

function permissionRequest(goalId: string, createdAt = new Date().toISOString()): PermissionRequest {
  return {
    id: randomUUID(),
    goalId,
    turnIndex: 1,
    toolName: 'Bash',
    toolUseId: 'toolu_x',
    input: { command: 'rm -rf build' },
    createdAt,
  };
}

describe('GoalStore', () => {
  it('inserts, reads back, lists newest first with summary fields, sets status', () => {
    const h = setup();
    const older = makeGoal({ createdAt: '2025-01-01T00:00:00.000Z', description: 'older goal' });
    const newer = makeGoal({ createdAt: '2025-02-01T00:00:00.000Z', description: 'newer goal' });
    h.stores.goals.insert(older);
    h.stores.goals.insert(newer);
    expect(() => h.stores.goals.insert(older)).toThrow(GoalExistsError);

    const record = h.stores.goals.get(older.id);
    expect(record?.goal).toEqual(older);
    expect(record?.status).toBe('pending');
    expect(record?.totalTurns).toBe(0);
    expect(record?.outcome).toBeNull();
    expect(h.stores.goals.get(randomUUID())).toBeNull();

    h.stores.permissions.insertPending(permissionRequest(newer.id));
    const list = h.stores.goals.list();
    expect(list.map((row) => row.goalId)).toEqual([newer.id, older.id]);
    expect(list[0]).toMatchObject({
      description: 'newer goal',
      status: 'pending',
      pendingPermissions: 1,
      tokens: 0,
      costUsd: 0,
    });

    expect(h.stores.goals.setStatus(older.id, 'cancelled')).toBe(true);
    expect(h.stores.goals.setStatus(randomUUID(), 'cancelled')).toBe(false);
    expect(h.stores.goals.list({ statuses: ['cancelled'] }).map((row) => row.goalId)).toEqual([older.id]);
    expect(h.stores.goals.list({ statuses: [] })).toEqual([]);
    expect(h.stores.goals.list({ limit: 1, offset: 1 }).map((row) => row.goalId)).toEqual([older.id]);
  });

  it('newest: in asked statuses, the total counts every such goal, not only the listed ones', () => {
    const h = setup();
    const goals = Array.from({ length: 5 }, (_, i) =>
      makeGoal({ createdAt: `2025-01-0${i + 1}T00:00:00.000Z`, description: `goal ${i}` }),
    );
    for (const goal of goals) h.stores.goals.insert(goal, 'done');
    for (const index of [0, 1, 3]) h.stores.goals.setStatus(goals[index]?.id ?? '', 'interrupted');
    h.stores.goals.setStatus(goals[4]?.id ?? '', 'running');

    const interrupted = h.stores.goals.newest(2, ['interrupted']);
    expect(interrupted.rows.map((row) => row.description)).toEqual(['goal 3', 'goal 1']);
    expect(interrupted.total).toBe(3);
    const either = h.stores.goals.newest(10, ['running', 'interrupted']);
    expect(either.rows.map((row) => row.description)).toEqual(['goal 4', 'goal 3', 'goal 1', 'goal 0']);
    expect(either.total).toBe(4);
    expect(h.stores.goals.newest(1, ['failed'])).toEqual({ rows: [], total: 0 });
    expect(h.stores.goals.newest(1).total).toBe(5);
  });

  it('delete removes the goal and everything recorded about it', () => {
    const h = setup();
    const goal = makeGoal({ description: 'ephemeral zanzibar goal' });
    const keep = makeGoal();
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    h.stores.events.append({ kind: 'goal_started', goalId: keep.id, goal: keep });
    h.stores.transcripts.appendLine(goal.id, 0, assistantTextLine('zanzibar transcript'));
    h.stores.sessionBindings.upsert({ goalId: goal.id, sessionId: 's', model: null, workspace: null });
    h.stores.permissions.insertPending(permissionRequest(goal.id));
    expect(h.stores.search('zanzibar', 10).transcript).toHaveLength(1);

    expect(h.stores.goals.delete(goal.id)).toBe(true);
    expect(h.stores.goals.delete(goal.id)).toBe(false);
    expect(h.stores.goals.get(goal.id)).toBeNull();
    expect(h.stores.events.countForGoal(goal.id)).toBe(0);
    expect(h.stores.events.countForGoal(keep.id)).toBe(1);
    expect(h.stores.transcripts.transcriptForTurn(goal.id, 0)).toEqual([]);
    expect(h.stores.sessionBindings.get(goal.id)).toBeNull();
    expect(h.stores.permissions.listPending()).toEqual([]);
    expect(h.stores.search('zanzibar', 10)).toEqual({ goals: [], transcript: [] });
  });
});

describe('permission records and rules', () => {
  it('pending → decided (first decision wins) and the audit list', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    const a = permissionRequest(goal.id, '2025-01-01T00:00:01.000Z');
    const b = permissionRequest(goal.id, '2025-01-01T00:00:02.000Z');
    h.stores.permissions.insertPending(a);
    h.stores.permissions.insertPending(b);
    expect(h.stores.permissions.listPending().map((r) => r.request.id)).toEqual([a.id, b.id]);
    expect(h.stores.permissions.get(a.id)).toEqual({
      request: a,
      status: 'pending',
      decision: null,
      decidedBy: null,
      decidedAt: null,
    });

    h.stores.permissions.recordDecision(
      a.id,
      { behavior: 'deny', message: 'no', interrupt: false },
      { kind: 'rule', ruleId: 'r1' },
      '2025-01-01T00:01:00.000Z',
    );
    h.stores.permissions.recordDecision(
      a.id,
      { behavior: 'allow', updatedInput: {} },
      { kind: 'operator' },
      '2025-01-01T00:02:00.000Z',
    );
    expect(h.stores.permissions.get(a.id)).toEqual({
      request: a,
      status: 'decided',
      decision: { behavior: 'deny', message: 'no', interrupt: false },
      decidedBy: { kind: 'rule', ruleId: 'r1' },
      decidedAt: '2025-01-01T00:01:00.000Z',
    });
    expect(h.stores.permissions.listPending().map((r) => r.request.id)).toEqual([b.id]);
    expect(h.stores.permissions.listForGoal(goal.id).map((r) => r.status)).toEqual(['decided', 'pending']);
    expect(h.stores.permissions.get(randomUUID())).toBeNull();
  });

  it('expireAllPending marks only pending requests', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    const a = permissionRequest(goal.id);
    const b = permissionRequest(goal.id);
    h.stores.permissions.insertPending(a);
    h.stores.permissions.insertPending(b);
    h.stores.permissions.recordDecision(a.id, { behavior: 'allow', updatedInput: {} }, { kind: 'operator' }, 't1');
    expect(h.stores.permissions.expireAllPending('t2')).toBe(1);
    expect(h.stores.permissions.get(b.id)).toMatchObject({
      status: 'expired',
      decision: null,
      decidedBy: { kind: 'expired' },
      decidedAt: 't2',
    });
    expect(h.stores.permissions.get(a.id)?.status).toBe('decided');
    expect(h.stores.permissions.expireAllPending('t3')).toBe(0);
  });

  it('rules: add, list in order, refuse a duplicate id, delete', () => {
    const h = setup();
    const rule = (id: string, createdAt: string): PermissionRule => ({
      id,
      scope: { kind: 'repository', repoPath: '/tmp/repo' },
      tool: 'Bash',
      pattern: 'npm test*',
      decision: 'allow',
      message: null,
      createdAt,
    });
    h.stores.rules.add(rule('r2', '2025-01-02T00:00:00.000Z'));
    h.stores.rules.add(rule('r1', '2025-01-01T00:00:00.000Z'));
    expect(() => h.stores.rules.add(rule('r1', '2025-01-03T00:00:00.000Z'))).toThrow(RuleExistsError);
    expect(h.stores.rules.list()).toEqual([
      rule('r1', '2025-01-01T00:00:00.000Z'),
      rule('r2', '2025-01-02T00:00:00.000Z'),
    ]);
    expect(h.stores.rules.delete('r1')).toBe(true);
    expect(h.stores.rules.delete('r1')).toBe(false);
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['r2']);
  });
});

describe('session bindings and compact summaries', () => {
  it('session bindings: get only valid rows, upsert keeps created_at, markInvalid hides the row', () => {
    let clock = new Date('2025-03-01T10:00:00.000Z');
    const h = setup({ now: () => clock });
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    expect(h.stores.sessionBindings.get(goal.id)).toBeNull();

    h.stores.sessionBindings.upsert({ goalId: goal.id, sessionId: 's1', model: 'sonnet', workspace: '/w' });
    expect(h.stores.sessionBindings.get(goal.id)).toEqual({
      goalId: goal.id,
      sessionId: 's1',
      model: 'sonnet',
      workspace: '/w',
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T10:00:00.000Z',
      lastActiveAt: '2025-03-01T10:00:00.000Z',
    });

    clock = new Date('2025-03-01T11:00:00.000Z');
    h.stores.sessionBindings.markInvalid(goal.id);
    expect(h.stores.sessionBindings.get(goal.id)).toBeNull();
    expect(h.stores.sessionBindings.listActive()).toEqual([]);

    clock = new Date('2025-03-01T12:00:00.000Z');
    h.stores.sessionBindings.upsert({ goalId: goal.id, sessionId: 's2', model: null, workspace: null });
    expect(h.stores.sessionBindings.get(goal.id)).toEqual({
      goalId: goal.id,
      sessionId: 's2',
      model: null,
      workspace: null,
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T12:00:00.000Z',
      lastActiveAt: '2025-03-01T12:00:00.000Z',
    });

    clock = new Date('2025-03-01T13:00:00.000Z');
    h.stores.sessionBindings.touch(goal.id);
    expect(h.stores.sessionBindings.get(goal.id)).toMatchObject({
      updatedAt: '2025-03-01T12:00:00.000Z',
      lastActiveAt: '2025-03-01T13:00:00.000Z',
    });
    h.stores.sessionBindings.clear(goal.id);
    expect(h.stores.sessionBindings.get(goal.id)).toBeNull();
  });

  it('honours an idle TTL', () => {
    let clock = new Date('2025-03-01T10:00:00.000Z');
    const h = setup({ now: () => clock, sessionBindings: { idleTtlMs: 60 * 60_000 } });
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    h.stores.sessionBindings.upsert({ goalId: goal.id, sessionId: 's1', model: null, workspace: null });
    clock = new Date('2025-03-01T10:59:00.000Z');
    expect(h.stores.sessionBindings.get(goal.id)?.sessionId).toBe('s1');
    clock = new Date('2025-03-01T11:01:00.000Z');
    expect(h.stores.sessionBindings.get(goal.id)).toBeNull();
  });

  it('compact summaries: load gives the newest stored', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    expect(h.stores.compactSummaries.load(goal.id)).toBeNull();
    const first = {
      goalId: goal.id,
      summary: 'first',
      turnIndex: 3,
      beforeTokens: 900,
      afterTokens: 100,
      storedAt: 't1',
    };
    const second = { ...first, summary: 'second', turnIndex: 7, storedAt: 't2' };
    h.stores.compactSummaries.store(first);
    h.stores.compactSummaries.store(second);
    expect(h.stores.compactSummaries.load(goal.id)).toEqual(second);
  });
});

describe('SettingsStore', () => {
  it('gives defaults, validates writes, survives a reopen, falls back on a corrupt value', () => {
    const h = setup();
    const settings = h.stores.settings;
    expect(settings.get('ui.theme')).toBe('system');
    expect(settings.get('goals.defaultBudget').maxTurns).toBe(40);
    settings.set('ui.theme', 'dark');
    settings.set('goals.defaultBudget', { ...settings.get('goals.defaultBudget'), maxTurns: 7 });
    // @ts-expect-error: not a theme
    expect(() => settings.set('ui.theme', 'neon')).toThrow();
    // @ts-expect-error: not a key
    expect(() => settings.get('no.such.key')).toThrow('unknown setting');
    expect(settings.all()).toMatchObject({ 'ui.theme': 'dark', 'goals.defaultInPlace': false });

    h.stores.close();
    const again = openStores(h.dbPath, { onError: (error, context) => h.errors.push({ error, context }) });
    try {
      expect(again.settings.get('ui.theme')).toBe('dark');
      expect(again.settings.get('goals.defaultBudget').maxTurns).toBe(7);
      again.db.prepare("UPDATE settings SET value_json = '\"neon\"' WHERE key = 'ui.theme'").run();
      expect(again.settings.get('ui.theme')).toBe('system');
      expect(h.errors.some((e) => e.context === 'reading settings')).toBe(true);
      again.settings.reset('goals.defaultBudget');
      expect(again.settings.get('goals.defaultBudget').maxTurns).toBe(40);
    } finally {
      again.close();
    }
  });
});

describe('TranscriptStore', () => {
  it('numbers lines per turn, pages them, and keeps numbering across a reopen', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    for (let i = 0; i < 5; i += 1) h.stores.transcripts.appendLine(goal.id, 0, `{"n":${i}}`);
    h.stores.transcripts.appendLine(goal.id, 1, 'not json at all');
    expect(h.stores.transcripts.transcriptForTurn(goal.id, 0).map((l) => l.lineNo)).toEqual([0, 1, 2, 3, 4]);
    expect(h.stores.transcripts.transcriptForTurn(goal.id, 0, { afterLineNo: 1, limit: 2 })).toEqual([
      { lineNo: 2, raw: '{"n":2}' },
      { lineNo: 3, raw: '{"n":3}' },
    ]);
    expect(h.stores.transcripts.transcriptForTurn(goal.id, 1)).toEqual([{ lineNo: 0, raw: 'not json at all' }]);
    expect(h.stores.transcripts.turnsWithTranscript(goal.id)).toEqual([0, 1]);

    h.stores.close();
    const again = openStores(h.dbPath);
    try {
      again.transcripts.appendLine(goal.id, 0, '{"n":5}');
      expect(again.transcripts.transcriptForTurn(goal.id, 0).map((l) => l.lineNo)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      again.close();
    }
  });

  it('a line for an unknown goal is reported and dropped without losing the rest of the batch', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    h.stores.transcripts.appendLine(randomUUID(), 0, '{}');
    const seq = h.stores.events.append({ kind: 'driver_warning', goalId: goal.id, message: 'kept' });
    h.stores.transcripts.appendLine(goal.id, 0, '{}');
    h.stores.events.flush();
    expect(h.stores.events.eventsSince(seq - 1, 5).map((e) => e.seq)).toEqual([seq]);
    expect(h.stores.transcripts.transcriptForTurn(goal.id, 0)).toHaveLength(1);
    expect(h.errors.some((e) => e.context.startsWith('storing transcript line'))).toBe(true);
  });

  it('records and clears the running process', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.goals.insert(goal);
    h.stores.transcripts.recordProcess(goal.id, 2, 4242, 'linux:boot:123');
    h.stores.transcripts.recordProcess(goal.id, 3, 4343, 'linux:boot:456');
    expect(h.stores.transcripts.recordedProcesses()).toEqual([
      expect.objectContaining({ goalId: goal.id, turnIndex: 3, pid: 4343, processStartedAt: 'linux:boot:456' }),
    ]);
    h.stores.transcripts.clearProcess(goal.id);
    expect(h.stores.transcripts.recordedProcesses()).toEqual([]);
  });
});

describe('search', () => {
  it('finds a goal by a word of its description and a transcript line by a word in a text block', () => {
    const h = setup();
    const goal = makeGoal({ description: 'Migrate the billing service to the new ledger API' });
    const other = makeGoal({ description: 'Fix flaky login test' });
    h.stores.goals.insert(goal);
    h.stores.goals.insert(other);
    h.stores.transcripts.appendLine(goal.id, 2, assistantTextLine('I found the reconciliation bug in invoice totals.'));
    h.stores.transcripts.appendLine(
      goal.id,
      3,
      JSON.stringify({
        type: 'assistant',
        message: { content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm run quuxify' } }] },
      }),
    );
    // Noise that must not be indexed: JSON keys, system and result lines.
    h.stores.transcripts.appendLine(
      goal.id,
      2,
      JSON.stringify({ type: 'system', subtype: 'init', session_id: 'zebra' }),
    );
    h.stores.transcripts.appendLine(goal.id, 2, JSON.stringify({ type: 'result', result: 'reconciliation done' }));

    const byDescription = h.stores.search('ledger', 10);
    expect(byDescription.goals.map((hit) => hit.goalId)).toEqual([goal.id]);
    expect(byDescription.goals[0]?.snippet).toContain(`${SNIPPET_MATCH_START}ledger${SNIPPET_MATCH_END}`);

    const byText = h.stores.search('reconciliation', 10);
    expect(byText.transcript).toEqual([
      { goalId: goal.id, turnIndex: 2, lineNo: 0, snippet: expect.stringContaining('reconciliation') },
    ]);
    expect(h.stores.search('quuxify', 10).transcript.map((hit) => hit.turnIndex)).toEqual([3]);
    expect(h.stores.search('zebra', 10).transcript).toEqual([]);
    expect(h.stores.search('session_id', 10).transcript).toEqual([]);
    expect(h.stores.search('reconcil', 10).transcript).toHaveLength(1);
    expect(h.stores.search('invoice reconciliation', 10).transcript).toHaveLength(1);
    expect(h.stores.search('invoice login', 10).transcript).toEqual([]);
  });

  it('treats operator input as words, never as FTS syntax', () => {
    const h = setup();
    h.stores.goals.insert(makeGoal({ description: 'handle "quoted" AND weird (input) -here' }));
    expect(() => h.stores.search('"unbalanced ( AND OR NEAR -', 5)).not.toThrow();
    expect(h.stores.search('quoted', 5).goals).toHaveLength(1);
    expect(h.stores.search('   ', 5)).toEqual({ goals: [], transcript: [] });
    expect(toFtsQuery('a "b" c')).toBe('"a" "b" "c"*');
    expect(toFtsQuery('-- ()')).toBeNull();
  });
});
