// The approval broker: decision order (goal rules, stored rules, mode, operator), the operator's
// actions, what is recorded and published, timeouts, cancellation, closing goals and the start sweep.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PermissionMode } from '../../../src/shared/domain/goal.js';
import type { PermissionDecision, PermissionRule } from '../../../src/shared/domain/permission.js';
import { isAbortedDecision, PermissionBroker, type BrokerGoal } from '../../../src/main/permission/broker.js';
import type { ToolCall } from '../../../src/main/permission/frames.js';
import { PermissionRequestNotPendingError, type DecisionNotice } from '../../../src/main/permission/operator.js';
import { parseRulesText } from '../../../src/main/permission/rules-file.js';
import { permissionTestStores } from '../../helpers/permission-stores.js';
import { RecordingSink, waitFor } from './helpers.js';

const REPO = '/repo/main';
const WS = '/repo/main';

function setup(options: { operatorTimeoutMs?: number | null; rules?: PermissionRule[] } = {}) {
  const stores = permissionTestStores(options.rules ?? []);
  const { records, rules } = stores;
  const events = new RecordingSink();
  const broker = new PermissionBroker({ records, rules, events, operatorTimeoutMs: options.operatorTimeoutMs ?? null });
  const notices: DecisionNotice[] = [];
  broker.onDecision((notice) => notices.push(notice));
  const open = (mode: PermissionMode = 'ask', extra: Partial<BrokerGoal> = {}): BrokerGoal => {
    const goal: BrokerGoal = { goalId: randomUUID(), repoPath: REPO, workspacePath: WS, mode, policy: null, ...extra };
    stores.addGoal(goal.goalId, goal.repoPath);
    broker.openGoal(goal);
    return goal;
  };
  return { records, rules, events, broker, notices, open, allRecords: stores.all };
}

const bash = (command: string): ToolCall => ({ toolName: 'Bash', input: { command }, toolUseId: 'tu' });
const write = (path: string, content = 'x'): ToolCall => ({
  toolName: 'Write',
  input: { file_path: path, content },
  toolUseId: 'tu',
});

function storedRule(
  scope: PermissionRule['scope'],
  tool: string,
  pattern: string | null,
  decision: 'allow' | 'deny',
  message: string | null = null,
): PermissionRule {
  return { id: randomUUID(), scope, tool, pattern, decision, message, createdAt: new Date().toISOString() };
}

/** Waits until the broker has a pending request and returns its id. */
async function pendingId(broker: PermissionBroker, index = 0): Promise<string> {
  await waitFor(() => broker.listPending().length > index, 5000, 'a pending request');
  const record = broker.listPending()[index];
  if (record === undefined) throw new Error('no pending request');
  return record.request.id;
}

describe('PermissionBroker decision order', () => {
  it('asks the operator in mode ask, recording the request as pending and publishing it', async () => {
    const { broker, events, records, open } = setup();
    const goal = open('ask');
    broker.setTurn(goal.goalId, 3);
    const decision = broker.decide(goal.goalId, bash('make deploy'));
    const id = await pendingId(broker);
    const requested = events.ofKind('permission_requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]?.request).toMatchObject({
      id,
      goalId: goal.goalId,
      toolName: 'Bash',
      turnIndex: 3,
      input: { command: 'make deploy' },
    });
    expect(records.get(id)?.status).toBe('pending');
    broker.allowOnce(id);
    await expect(decision).resolves.toEqual({ behavior: 'allow', updatedInput: { command: 'make deploy' } });
    expect(records.get(id)).toMatchObject({
      status: 'decided',
      decidedBy: { kind: 'operator' },
      decision: { behavior: 'allow' },
    });
  });

  it('records and publishes which console decided when the decision names one (a runner answered over NATS)', async () => {
    const { broker, events, records, notices, open } = setup();
    const goal = open('ask');
    const allowed = broker.decide(goal.goalId, bash('make test'));
    const allowId = await pendingId(broker);
    broker.allowOnce(allowId, 'laptop');
    await expect(allowed).resolves.toMatchObject({ behavior: 'allow' });
    const denied = broker.decide(goal.goalId, bash('make deploy'));
    const denyId = await pendingId(broker);
    broker.deny(denyId, 'not today', 'desktop');
    await expect(denied).resolves.toMatchObject({ behavior: 'deny', message: 'not today' });
    expect(records.get(allowId)?.decidedBy).toEqual({ kind: 'operator', name: 'laptop' });
    expect(records.get(denyId)?.decidedBy).toEqual({ kind: 'operator', name: 'desktop' });
    expect(events.ofKind('permission_decided').map((event) => event.decidedBy)).toEqual([
      { kind: 'operator', name: 'laptop' },
      { kind: 'operator', name: 'desktop' },
    ]);
    expect(notices.map((notice) => notice.decidedBy)).toEqual([
      { kind: 'operator', name: 'laptop' },
      { kind: 'operator', name: 'desktop' },
    ]);
  });

  it('applies the modes: allow-all allows, deny denies with a message, allow-edits allows edits inside the workspace only', async () => {
    const { broker, open, allRecords } = setup();
    const all = open('allow-all');
    await expect(broker.decide(all.goalId, bash('rm -rf build'))).resolves.toMatchObject({ behavior: 'allow' });
    const denying = open('deny');
    const denied = await broker.decide(denying.goalId, bash('ls'));
    expect(denied).toMatchObject({ behavior: 'deny', interrupt: false });
    expect(denied.behavior === 'deny' && denied.message).toContain("'deny'");
    const edits = open('allow-edits');
    await expect(broker.decide(edits.goalId, write(`${WS}/src/a.ts`))).resolves.toMatchObject({ behavior: 'allow' });
    const outside = broker.decide(edits.goalId, write('/etc/hosts'));
    const bashInEdits = broker.decide(edits.goalId, bash('ls'));
    await waitFor(() => broker.listPending().length === 2);
    for (const record of broker.listPending()) broker.deny(record.request.id, '');
    await expect(outside).resolves.toMatchObject({ behavior: 'deny' });
    await expect(bashInEdits).resolves.toMatchObject({
      behavior: 'deny',
      message: 'The operator denied this tool call.',
    });
    const decidedBy = allRecords().map((r) => r.decidedBy);
    expect(decidedBy).toEqual([
      { kind: 'mode', mode: 'allow-all' },
      { kind: 'mode', mode: 'deny' },
      { kind: 'mode', mode: 'allow-edits' },
      { kind: 'operator' },
      { kind: 'operator' },
    ]);
  });

  it('tries the goal rules first (first match wins), then stored rules, then the mode', async () => {
    const stored = storedRule({ kind: 'everywhere' }, 'Bash', 'git *', 'deny', 'stored says no');
    const { broker, open } = setup({ rules: [stored] });
    const policy = parseRulesText(
      JSON.stringify([
        { tool: 'Bash', pattern: 'git status*', decision: 'allow' },
        { tool: 'Bash', pattern: 'git status --porcelain', decision: 'deny', message: 'never reached' },
        { tool: 'Write', decision: 'deny', message: 'no writes here' },
      ]),
      'rules.json',
    );
    const withRules = open('allow-all', { policy: { ...policy, unmatched: 'fall_through' } });
    await expect(broker.decide(withRules.goalId, bash('git status --porcelain'))).resolves.toMatchObject({
      behavior: 'allow',
    });
    await expect(broker.decide(withRules.goalId, write(`${WS}/a`))).resolves.toMatchObject({
      behavior: 'deny',
      message: 'no writes here',
    });
    await expect(broker.decide(withRules.goalId, bash('git push'))).resolves.toMatchObject({
      behavior: 'deny',
      message: 'stored says no',
    });
    await expect(broker.decide(withRules.goalId, bash('make'))).resolves.toMatchObject({ behavior: 'allow' });
  });

  it('denies what no goal rule matches when the policy says so, naming the call', async () => {
    const { broker, open, notices } = setup({ rules: [storedRule({ kind: 'everywhere' }, '*', null, 'allow')] });
    const goal = open('allow-all', { policy: parseRulesText('[{"tool":"Read","decision":"allow"}]', 'r.json') });
    const decision = await broker.decide(goal.goalId, bash('curl evil.example'));
    expect(decision.behavior).toBe('deny');
    expect(decision.behavior === 'deny' && decision.message).toMatch(/No rule in r\.json.*curl evil\.example/);
    expect(notices.at(-1)?.decidedBy).toEqual({ kind: 'rule', ruleId: 'r.json#unmatched' });
  });

  it('applies stored rules by scope: this goal, this repository, everywhere', async () => {
    const { broker, open, rules } = setup();
    const goal = open('deny');
    const otherRepo = open('deny', { repoPath: '/repo/other', workspacePath: '/repo/other' });
    rules.add(storedRule({ kind: 'goal', goalId: goal.goalId }, 'Bash', 'make', 'allow'));
    rules.add(storedRule({ kind: 'repository', repoPath: REPO }, 'Bash', 'npm test', 'allow'));
    rules.add(storedRule({ kind: 'everywhere' }, 'Bash', 'ls', 'allow'));
    const outcome = async (g: BrokerGoal, command: string) => (await broker.decide(g.goalId, bash(command))).behavior;
    expect(await outcome(goal, 'make')).toBe('allow');
    expect(await outcome(otherRepo, 'make')).toBe('deny');
    expect(await outcome(goal, 'npm test')).toBe('allow');
    expect(await outcome(otherRepo, 'npm test')).toBe('deny');
    expect(await outcome(otherRepo, 'ls')).toBe('allow');
  });

  it('denies a request for a goal that is not open', async () => {
    const { broker } = setup();
    await expect(broker.decide(randomUUID(), bash('ls'))).resolves.toMatchObject({ behavior: 'deny' });
  });
});

describe('PermissionBroker operator actions', () => {
  it('allows with an edited input, denies with a message, and denies and stops', async () => {
    const { broker, open, notices, events } = setup();
    const goal = open();
    const edited = broker.decide(goal.goalId, write(`${WS}/a.txt`, 'original'));
    broker.allowWithEdit(await pendingId(broker), { file_path: `${WS}/a.txt`, content: 'edited' });
    await expect(edited).resolves.toEqual({
      behavior: 'allow',
      updatedInput: { file_path: `${WS}/a.txt`, content: 'edited' },
    });

    const denied = broker.decide(goal.goalId, bash('rm -rf /'));
    broker.deny(await pendingId(broker), 'Use the clean script instead.');
    await expect(denied).resolves.toEqual({
      behavior: 'deny',
      message: 'Use the clean script instead.',
      interrupt: false,
    });

    const stopped = broker.decide(goal.goalId, bash('shutdown'));
    broker.denyAndStop(await pendingId(broker), 'Stop now.');
    await expect(stopped).resolves.toEqual({ behavior: 'deny', message: 'Stop now.', interrupt: true });

    expect(notices.map((n) => n.decision.behavior)).toEqual(['allow', 'deny', 'deny']);
    expect(events.ofKind('permission_decided').map((e) => e.decidedBy.kind)).toEqual([
      'operator',
      'operator',
      'operator',
    ]);
    // The edit is recorded with what Claude asked for (the decision holds what ran); others carry no original.
    expect(events.ofKind('permission_decided').map((e) => e.originalInput)).toEqual([
      { file_path: `${WS}/a.txt`, content: 'original' },
      undefined,
      undefined,
    ]);
  });

  it('an allow with the input unchanged is not recorded as an edit', async () => {
    const { broker, open, events } = setup();
    const goal = open();
    const same = broker.decide(goal.goalId, bash('ls'));
    broker.allowWithEdit(await pendingId(broker), { command: 'ls' });
    await same;
    expect(events.ofKind('permission_decided')[0]?.originalInput).toBeUndefined();
  });

  it('refuses an action on a request that is not pending', async () => {
    const { broker, open } = setup();
    const goal = open();
    const decision = broker.decide(goal.goalId, bash('x'));
    const id = await pendingId(broker);
    broker.allowOnce(id);
    await decision;
    expect(() => broker.deny(id, 'late')).toThrow(PermissionRequestNotPendingError);
    expect(() => broker.allowOnce(randomUUID())).toThrow(PermissionRequestNotPendingError);
  });

  it('always allow saves a rule, allows this and matching pending requests, and the rule decides later ones', async () => {
    const { broker, open, rules, allRecords } = setup();
    const goal = open();
    const first = broker.decide(goal.goalId, bash('npm test'));
    const second = broker.decide(goal.goalId, bash('npm test -- --watch'));
    const unrelated = broker.decide(goal.goalId, bash('npm publish'));
    await waitFor(() => broker.listPending().length === 3);
    const firstId = broker.listPending()[0]?.request.id ?? '';
    const draft = broker.draftAlwaysAllow(firstId, { scope: 'repository', pattern: 'npm test*' });
    expect(draft).toEqual({
      scope: { kind: 'repository', repoPath: REPO },
      tool: 'Bash',
      pattern: 'npm test*',
      decision: 'allow',
    });
    const preview = broker.previewRule(draft);
    expect(preview.pendingCount).toBe(2);
    expect(preview.matches.map((m) => m.request.input['command'])).toEqual(['npm test', 'npm test -- --watch']);

    const rule = broker.alwaysAllow(firstId, { scope: 'repository', pattern: 'npm test*' });
    expect(rules.list()).toEqual([rule]);
    await expect(first).resolves.toMatchObject({ behavior: 'allow' });
    await expect(second).resolves.toMatchObject({ behavior: 'allow' });
    expect(broker.listPending().map((r) => r.request.input['command'])).toEqual(['npm publish']);

    await expect(broker.decide(goal.goalId, bash('npm test --coverage'))).resolves.toMatchObject({ behavior: 'allow' });
    expect(allRecords().at(-1)?.decidedBy).toEqual({ kind: 'rule', ruleId: rule.id });
    // Past requests count in a later preview.
    expect(broker.previewRule({ ...draft, pattern: 'npm test*' }).pastCount).toBe(3);
    broker.deny(broker.listPending()[0]?.request.id ?? '', 'no');
    await expect(unrelated).resolves.toMatchObject({ behavior: 'deny' });
  });

  it('always allow without a pattern makes an exact rule (glob characters escaped)', async () => {
    const { broker, open } = setup();
    const goal = open();
    const pending = broker.decide(goal.goalId, bash('ls *.txt'));
    const rule = broker.alwaysAllow(await pendingId(broker), { scope: 'goal' });
    expect(rule.pattern).toBe('ls \\*.txt');
    await pending;
    await expect(broker.decide(goal.goalId, bash('ls *.txt'))).resolves.toMatchObject({ behavior: 'allow' });
    const other = broker.decide(goal.goalId, bash('ls a.txt'));
    broker.deny(await pendingId(broker), '');
    await expect(other).resolves.toMatchObject({ behavior: 'deny' });
  });
});

describe('PermissionBroker lifecycle', () => {
  it('denies after the configured operator timeout, saying so', async () => {
    const { broker, open, allRecords } = setup({ operatorTimeoutMs: 30 });
    const goal = open();
    const decision: PermissionDecision = await broker.decide(goal.goalId, bash('sleep'));
    expect(decision).toMatchObject({ behavior: 'deny', interrupt: false });
    expect(decision.behavior === 'deny' && decision.message).toContain('No operator decided within');
    expect(allRecords()[0]?.decidedBy).toEqual({ kind: 'timeout' });
  });

  it('records a request whose bridge went away as denied and drops it from the inbox', async () => {
    const { broker, open, records, events } = setup();
    const goal = open();
    const controller = new AbortController();
    const decision = broker.decide(goal.goalId, bash('x'), controller.signal);
    const id = await pendingId(broker);
    controller.abort();
    await expect(decision).resolves.toMatchObject({ behavior: 'deny' });
    expect(broker.listPending()).toEqual([]);
    expect(records.get(id)?.decidedBy?.kind).toBe('unavailable');
    expect(events.ofKind('permission_decided')).toHaveLength(1);
  });

  it('knows when a goal waits on the operator; an aborted request is not a decision on the tool call', async () => {
    const { broker, open, notices } = setup();
    const goal = open();
    const other = open();
    expect(broker.awaitingOperator(goal.goalId)).toBe(false);
    const controller = new AbortController();
    const decision = broker.decide(goal.goalId, bash('x'), controller.signal);
    await pendingId(broker);
    expect(broker.awaitingOperator(goal.goalId)).toBe(true);
    expect(broker.awaitingOperator(other.goalId)).toBe(false);
    controller.abort();
    await decision;
    expect(broker.awaitingOperator(goal.goalId)).toBe(false);
    expect(notices.map((n) => isAbortedDecision(n.decidedBy))).toEqual([true]);
    expect(isAbortedDecision({ kind: 'operator' })).toBe(false);
    expect(isAbortedDecision({ kind: 'timeout' })).toBe(false);
  });

  it('closing a goal denies its pending requests (stopping the turn) and leaves other goals alone', async () => {
    const { broker, open } = setup();
    const closing = open();
    const staying = open();
    const a = broker.decide(closing.goalId, bash('a'));
    const b = broker.decide(staying.goalId, bash('b'));
    await waitFor(() => broker.listPending().length === 2);
    expect(broker.closeGoal(closing.goalId, 'cancelled by the operator')).toBe(1);
    await expect(a).resolves.toMatchObject({ behavior: 'deny', interrupt: true });
    expect(broker.listPending().map((r) => r.request.goalId)).toEqual([staying.goalId]);
    expect(broker.isOpen(closing.goalId)).toBe(false);
    await expect(broker.decide(closing.goalId, bash('c'))).resolves.toMatchObject({ behavior: 'deny' });
    broker.allowOnce(broker.listPending()[0]?.request.id ?? '');
    await expect(b).resolves.toMatchObject({ behavior: 'allow' });
  });

  it('expires the requests a dead host left pending', async () => {
    const stores = permissionTestStores();
    const { records, rules } = stores;
    const dead = new PermissionBroker({ records, rules, events: new RecordingSink() });
    const goalId = randomUUID();
    stores.addGoal(goalId, REPO);
    dead.openGoal({ goalId, repoPath: REPO, workspacePath: WS, mode: 'ask', policy: null });
    void dead.decide(goalId, bash('a'));
    void dead.decide(goalId, bash('b'));
    await waitFor(() => records.listPending().length === 2);
    const restarted = new PermissionBroker({ records, rules, events: new RecordingSink() });
    expect(restarted.expireAtStart()).toBe(2);
    expect(records.listPending()).toEqual([]);
    expect(stores.all().map((r) => r.status)).toEqual(['expired', 'expired']);
  });

  it("keeps the operator's decision when the record store fails to record it, with a warning event", async () => {
    const { broker, open, records, events } = setup();
    records.recordDecision = () => {
      throw new Error('disk full');
    };
    const goal = open('ask');
    const decision = broker.decide(goal.goalId, bash('ls'));
    broker.allowOnce(await pendingId(broker));
    await expect(decision).resolves.toMatchObject({ behavior: 'allow' });
    expect(events.ofKind('driver_warning')[0]?.message).toContain('disk full');
  });

  it('records a decision made at once (rule or mode) with its request in one write before giving it', async () => {
    const rule = storedRule({ kind: 'everywhere' }, 'Bash', 'echo *', 'allow');
    const { broker, open, records, allRecords } = setup({ rules: [rule] });
    let pendingInserts = 0;
    const insertPending = records.insertPending.bind(records);
    records.insertPending = (request) => {
      pendingInserts++;
      insertPending(request);
    };
    const goal = open('ask');
    const decision = await broker.decide(goal.goalId, bash('echo hi'));
    expect(decision).toEqual({ behavior: 'allow', updatedInput: { command: 'echo hi' } });
    expect(pendingInserts).toBe(0);
    const [record] = allRecords();
    expect(record).toMatchObject({
      status: 'decided',
      decision,
      decidedBy: { kind: 'rule', ruleId: rule.id },
      request: { goalId: goal.goalId, toolName: 'Bash', input: { command: 'echo hi' } },
    });
    expect(record?.decidedAt).toEqual(expect.any(String));
    expect(records.get(record?.request.id ?? '')).toEqual(record);
  });

  it('denies a decision made at once when it cannot be recorded, instead of giving it unrecorded', async () => {
    const { broker, open, records, events, notices } = setup();
    records.insertDecided = () => {
      throw new Error('disk full');
    };
    const goal = open('allow-all');
    const decision = await broker.decide(goal.goalId, bash('ls'));
    expect(decision).toMatchObject({ behavior: 'deny', interrupt: false });
    expect(decision.behavior === 'deny' && decision.message).toContain('disk full');
    expect(events.ofKind('permission_decided')).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('denies when the request cannot be recorded at all (fail closed)', async () => {
    const { broker, allRecords } = setup();
    // A goal the store does not know: the request row's foreign key refuses it.
    const goalId = randomUUID();
    broker.openGoal({ goalId, repoPath: REPO, workspacePath: WS, mode: 'allow-all', policy: null });
    const decision = await broker.decide(goalId, bash('ls'));
    expect(decision).toMatchObject({ behavior: 'deny' });
    expect(decision.behavior === 'deny' && decision.message).toContain('could not record the permission request');
    expect(allRecords()).toEqual([]);
  });
});
