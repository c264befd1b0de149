// The terminal operator: refuses to start without a TTY, and answers requests from the keyboard —
// allow, deny with a message, deny & end turn, deny & pause goal, edit (the Bash command, or JSON), always allow with a
// preview — one at a time; a closed terminal denies what is waiting.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../../src/shared/events.js';
import { PermissionBroker } from '../../../src/main/permission/broker.js';
import { permissionTestStores } from '../../helpers/permission-stores.js';
import {
  createTerminalOperator,
  TerminalRequiredError,
  type TerminalOperator,
} from '../../../src/main/permission/terminal.js';
import { onCleanup, waitFor } from './helpers.js';

class FakeTty extends PassThrough {
  isTTY = true;
}

function setup(options: { pauseGoal?: (goalId: string) => void } = {}) {
  const input = new FakeTty();
  const output = new FakeTty();
  let screen = '';
  output.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
  });
  const stores = permissionTestStores();
  onCleanup(() => stores.close());
  const { records, rules } = stores;
  let terminal: TerminalOperator | null = null;
  const events: DriverEvent[] = [];
  const broker = new PermissionBroker({
    records,
    rules,
    events: { publish: (event) => (events.push(event), terminal?.publish(event)) },
  });
  terminal = createTerminalOperator({
    operator: broker,
    input,
    output,
    ...(options.pauseGoal !== undefined ? { pauseGoal: options.pauseGoal } : {}),
  });
  onCleanup(() => terminal?.close());
  const goalId = randomUUID();
  stores.addGoal(goalId, '/repo');
  broker.openGoal({ goalId, repoPath: '/repo', workspacePath: '/repo', mode: 'ask', policy: null });
  let seen = 0;
  /** Waits for `prompt` to appear after what was already answered, then types `line`. */
  const answer = async (prompt: string, line: string) => {
    await waitFor(() => screen.indexOf(prompt, seen) !== -1, 5000, `prompt "${prompt}"`);
    seen = screen.indexOf(prompt, seen) + prompt.length;
    input.write(`${line}\n`);
  };
  return { broker, terminal, input, output, rules, goalId, answer, events, screen: () => screen };
}

describe('terminal operator', () => {
  it('refuses to start without a TTY, saying what to use instead', () => {
    const stores = permissionTestStores();
    onCleanup(() => stores.close());
    const broker = new PermissionBroker({
      records: stores.records,
      rules: stores.rules,
      events: { publish: () => undefined },
    });
    expect(() => createTerminalOperator({ operator: broker, input: new PassThrough(), output: new FakeTty() })).toThrow(
      TerminalRequiredError,
    );
    expect(() => createTerminalOperator({ operator: broker, input: new FakeTty(), output: new PassThrough() })).toThrow(
      /rules:FILE/,
    );
  });

  it('allows once, denies with a message, and denies and stops, one request at a time', async () => {
    const t = setup();
    const first = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'npm test' }, toolUseId: '' });
    const second = t.broker.decide(t.goalId, {
      toolName: 'Write',
      input: { file_path: '/repo/a.txt', content: 'hello\nworld' },
      toolUseId: '',
    });
    const third = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'rm -rf /' }, toolUseId: '' });
    await t.answer('[a]llow once', 'a');
    await expect(first).resolves.toMatchObject({ behavior: 'allow' });
    await t.answer('[a]llow once', 'd');
    await t.answer('Message for Claude', 'Write it under src/ instead');
    await expect(second).resolves.toEqual({
      behavior: 'deny',
      message: 'Write it under src/ instead',
      interrupt: false,
    });
    await t.answer('[a]llow once', 's');
    await t.answer('Message', '');
    await expect(third).resolves.toMatchObject({ behavior: 'deny', interrupt: true });
    const screen = t.screen();
    expect(screen).toContain('command: npm test');
    expect(screen).toContain('file: /repo/a.txt');
    expect(screen).toContain('| world');
    await t.terminal.idle();
  });

  it('deny & pause goal pauses the goal first, then denies and ends the turn', async () => {
    const paused: { goalId: string; decidedBefore: boolean }[] = [];
    const t = setup({
      pauseGoal: (goalId) =>
        void paused.push({ goalId, decidedBefore: t.events.some((event) => event.kind === 'permission_decided') }),
    });
    const request = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'rm -rf build' }, toolUseId: '' });
    await t.answer('[p] deny & pause goal', 'p');
    await t.answer('Message', 'Wait for me');
    await expect(request).resolves.toEqual({ behavior: 'deny', message: 'Wait for me', interrupt: true });
    expect(paused).toEqual([{ goalId: t.goalId, decidedBefore: false }]);
    expect(t.screen()).toContain('[s] deny & end turn');
    expect(t.screen()).toContain('Goal paused');
    await t.terminal.idle();
  });

  it('offers no pause where it cannot pause, and says so when asked', async () => {
    const t = setup();
    const request = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'ls' }, toolUseId: '' });
    await t.answer('[s] deny & end turn', 'p');
    await t.answer('[a]llow once', 'a');
    await expect(request).resolves.toMatchObject({ behavior: 'allow' });
    expect(t.screen()).not.toContain('[p]');
    expect(t.screen()).toContain('Pausing is not available here');
  });

  it('edits a Bash command, and a JSON input after a bad attempt', async () => {
    const t = setup();
    const bash = t.broker.decide(t.goalId, {
      toolName: 'Bash',
      input: { command: 'git push --force', description: 'push' },
      toolUseId: '',
    });
    await t.answer('[a]llow once', 'e');
    await t.answer('New command', 'git push');
    await expect(bash).resolves.toEqual({
      behavior: 'allow',
      updatedInput: { command: 'git push', description: 'push' },
    });
    const fetch = t.broker.decide(t.goalId, { toolName: 'WebFetch', input: { url: 'http://a' }, toolUseId: '' });
    await t.answer('[a]llow once', 'e');
    await t.answer('one line of JSON', '{not json');
    await t.answer('one line of JSON', '[1]');
    await t.answer('one line of JSON', '{"url":"https://b"}');
    await expect(fetch).resolves.toEqual({ behavior: 'allow', updatedInput: { url: 'https://b' } });
    expect(t.screen()).toContain('Not valid JSON');
    expect(t.screen()).toContain('not a JSON object');
  });

  it('always allow shows what the rule would match, saves it on yes, and goes back on no', async () => {
    const t = setup();
    const first = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'npm run lint' }, toolUseId: '' });
    const second = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'npm run build' }, toolUseId: '' });
    await t.answer('[a]llow once', 'r');
    await t.answer('Pattern', 'npm run *');
    await t.answer('Scope', 'r');
    await t.answer('Save this rule', 'n');
    expect(t.rules.list()).toEqual([]);
    await t.answer('[a]llow once', 'r');
    await t.answer('Pattern', 'npm run *');
    await t.answer('Scope', 'r');
    await t.answer('Save this rule', 'y');
    await expect(first).resolves.toMatchObject({ behavior: 'allow' });
    await expect(second).resolves.toMatchObject({ behavior: 'allow' });
    expect(t.rules.list()).toMatchObject([
      { tool: 'Bash', pattern: 'npm run *', scope: { kind: 'repository', repoPath: '/repo' } },
    ]);
    expect(t.screen()).toContain('It matches 2 pending and 0 earlier request(s)');
    expect(t.screen()).toContain('npm run build');
    await t.terminal.idle();
    // The second request was decided by the rule: the terminal never asked about it.
    expect(t.screen().split('[a]llow once').length - 1).toBe(2);
  });

  it('denies what is waiting when the terminal closes, and anything that arrives after', async () => {
    const t = setup();
    const waiting = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'a' }, toolUseId: '' });
    const queued = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'b' }, toolUseId: '' });
    await waitFor(() => t.screen().includes('[a]llow once'));
    t.input.end();
    await expect(waiting).resolves.toMatchObject({
      behavior: 'deny',
      message: expect.stringContaining('terminal was closed'),
    });
    await expect(queued).resolves.toMatchObject({ behavior: 'deny' });
    await expect(
      t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'c' }, toolUseId: '' }),
    ).resolves.toMatchObject({ behavior: 'deny' });
  });

  it('drops the prompt when the request is decided elsewhere (goal closed)', async () => {
    const t = setup();
    const waiting = t.broker.decide(t.goalId, { toolName: 'Bash', input: { command: 'a' }, toolUseId: '' });
    await waitFor(() => t.screen().includes('[a]llow once'));
    t.broker.closeGoal(t.goalId, 'cancelled');
    await expect(waiting).resolves.toMatchObject({ behavior: 'deny', interrupt: true });
    await t.terminal.idle();
    expect(t.screen()).toContain('Decided elsewhere');
  });
});
