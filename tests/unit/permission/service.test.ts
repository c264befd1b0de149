// The permission service as the driver and the host see it: openGoal's MCP server entry and secret,
// per-goal decision notices, turns, closing, the start sweep and the socket path.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PermissionSocketClient } from '../../../src/main/permission/bridge-client.js';
import { Cancellation } from '../../../src/main/permission/cancel-signal.js';
import { mcpConfigFor } from '../../../src/main/driver/mcp-config.js';
import {
  createPermissionService,
  socketPathFor,
  withGoalPolicy,
  parseRulesText,
  type PermissionService,
} from '../../../src/main/permission/index.js';
import type { Goal } from '../../../src/shared/domain/goal.js';
import { permissionTestStores, type PermissionTestStores } from '../../helpers/permission-stores.js';
import type { PermissionDecisionNotice } from '../../../src/main/driver/ports.js';
import { makeGoal, makeWorkspace, onCleanup, RecordingSink, tempDir, waitFor } from './helpers.js';

async function service(stores: PermissionTestStores = permissionTestStores()): Promise<{
  service: PermissionService;
  events: RecordingSink;
  stores: PermissionTestStores;
  expired: number;
  /** A goal the store knows (as the host stores a goal before it opens it). */
  storedGoal(mode?: Goal['permissionMode']): Goal;
}> {
  const events = new RecordingSink();
  onCleanup(() => stores.close());
  const svc = createPermissionService({
    runtimeDir: join(tempDir('perm-svc-'), 'run'),
    bridge: {
      command: '/opt/Overseer/overseer',
      args: ['/opt/Overseer/bridge.js'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    },
    stores,
    events,
  });
  const { expired } = await svc.start();
  onCleanup(() => svc.close());
  const storedGoal = (mode?: Goal['permissionMode']): Goal => {
    const goal = makeGoal(tempDir(), mode);
    stores.addGoal(goal.id, goal.repoPath);
    return goal;
  };
  return { service: svc, events, stores, expired, storedGoal };
}

function bridgeFor(svc: PermissionService, env: Record<string, string>): PermissionSocketClient {
  const client = new PermissionSocketClient({
    socketPath: env['OVERSEER_PERMISSION_SOCKET'] ?? '',
    goalId: env['OVERSEER_GOAL_ID'] ?? '',
    secret: env['OVERSEER_GOAL_SECRET'] ?? '',
  });
  onCleanup(() => client.close());
  expect(env['OVERSEER_PERMISSION_SOCKET']).toBe(svc.socketPath);
  return client;
}

const bash = (command: string) => ({ toolName: 'Bash', input: { command }, toolUseId: '' });

describe('createPermissionService', () => {
  it('gives each goal an MCP server entry with the bridge command, the socket, the goal id and its own secret', async () => {
    const { service: svc } = await service();
    const a = makeGoal(tempDir());
    const b = makeGoal(tempDir());
    const specA = svc.openGoal(a, makeWorkspace(a)).mcpServer;
    const specB = svc.openGoal(b, makeWorkspace(b)).mcpServer;
    expect(specA).toEqual({
      command: '/opt/Overseer/overseer',
      args: ['/opt/Overseer/bridge.js'],
      env: {
        ELECTRON_RUN_AS_NODE: '1',
        OVERSEER_PERMISSION_SOCKET: svc.socketPath,
        OVERSEER_GOAL_ID: a.id,
        OVERSEER_GOAL_SECRET: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      },
    });
    expect(specB.env['OVERSEER_GOAL_SECRET']).not.toBe(specA.env['OVERSEER_GOAL_SECRET']);
    // Opening the same goal again keeps its secret (bridges already running keep working).
    expect(svc.openGoal(a, makeWorkspace(a)).mcpServer.env['OVERSEER_GOAL_SECRET']).toBe(
      specA.env['OVERSEER_GOAL_SECRET'],
    );
    expect(mcpConfigFor(specA)).toEqual({ mcpServers: { overseer: { type: 'stdio', ...specA } } });
  });

  it('reports each goal only its own decisions, with the turn recorded on the request', async () => {
    const { service: svc, events, storedGoal } = await service();
    events.react((event) => {
      if (event.kind === 'permission_requested') svc.deny(event.request.id, `no for ${event.request.goalId}`);
    });
    const a = storedGoal();
    const b = storedGoal();
    const handleA = svc.openGoal(a, makeWorkspace(a));
    const handleB = svc.openGoal(b, makeWorkspace(b));
    const noticesA: PermissionDecisionNotice[] = [];
    const noticesB: PermissionDecisionNotice[] = [];
    handleA.onDecision((n) => noticesA.push(n));
    const unsubscribeB = handleB.onDecision((n) => noticesB.push(n));
    handleA.setTurn(4);
    await bridgeFor(svc, handleA.mcpServer.env).decide(bash('a'));
    unsubscribeB();
    await bridgeFor(svc, handleB.mcpServer.env).decide(bash('b'));
    expect(noticesA).toEqual([
      {
        goalId: a.id,
        requestId: expect.any(String),
        toolName: 'Bash',
        decision: { behavior: 'deny', message: `no for ${a.id}`, interrupt: false },
        aborted: false,
      },
    ]);
    expect(noticesB).toEqual([]);
    expect(events.ofKind('permission_requested')[0]?.request.turnIndex).toBe(4);
  });

  it('closing a goal denies its waiting request and revokes its secret', async () => {
    const { service: svc, storedGoal } = await service();
    const goal = storedGoal();
    const handle = svc.openGoal(goal, makeWorkspace(goal));
    const notices: PermissionDecisionNotice[] = [];
    handle.onDecision((n) => notices.push(n));
    const bridge = bridgeFor(svc, handle.mcpServer.env);
    const waiting = bridge.decide(bash('x'));
    await waitFor(() => svc.listPending().length === 1);
    expect(handle.awaitingOperator?.()).toBe(true);
    handle.close('goal cancelled');
    await expect(waiting).resolves.toMatchObject({ behavior: 'deny', interrupt: true });
    expect(handle.awaitingOperator?.()).toBe(false);
    // Nobody denied it: the driver must not count it as a deny.
    expect(notices.map((n) => n.aborted)).toEqual([true]);
    const after = await bridge.decide(bash('y'));
    expect(after.behavior === 'deny' && after.message).toMatch(/unauthorized/);
    // The close's own deny was reported; nothing after it (the handle's listeners are gone).
    expect(notices.map((n) => n.decision)).toEqual([
      { behavior: 'deny', message: expect.stringContaining('goal cancelled'), interrupt: true },
    ]);
  });

  it('a request the bridge cancels, or leaves by disconnecting, leaves the inbox and is recorded as unavailable', async () => {
    const { service: svc, stores, storedGoal } = await service();
    const goal = storedGoal('ask');
    const handle = svc.openGoal(goal, makeWorkspace(goal));
    const notices: PermissionDecisionNotice[] = [];
    handle.onDecision((n) => notices.push(n));
    const bridge = bridgeFor(svc, handle.mcpServer.env);
    const claude = new Cancellation();
    const cancelled = bridge.decide(bash('make'), claude.signal);
    await waitFor(() => svc.listPending().length === 1);
    claude.abort();
    await expect(cancelled).resolves.toMatchObject({ behavior: 'deny', message: expect.stringMatching(/cancelled/) });
    await waitFor(() => svc.listPending().length === 0);
    const leaving = bridgeFor(svc, handle.mcpServer.env);
    const dropped = leaving.decide(bash('make install'));
    await waitFor(() => svc.listPending().length === 1);
    leaving.close();
    await expect(dropped).resolves.toMatchObject({ behavior: 'deny' });
    await waitFor(() => svc.listPending().length === 0);
    expect(notices.map((n) => n.aborted)).toEqual([true, true]);
    expect(stores.all().map((record) => [record.status, record.decidedBy?.kind])).toEqual([
      ['decided', 'unavailable'],
      ['decided', 'unavailable'],
    ]);
  });

  it("accepts only the goal's exact secret: one character off, a longer or a shorter one is unauthorized", async () => {
    const { service: svc, storedGoal } = await service();
    const goal = storedGoal('allow-all');
    const env = svc.openGoal(goal, makeWorkspace(goal)).mcpServer.env;
    const secret = env['OVERSEER_GOAL_SECRET'] ?? '';
    const lastFlipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [lastFlipped, `${secret}A`, secret.slice(0, -1), `${secret.slice(0, -1)}é`]) {
      const decision = await bridgeFor(svc, { ...env, OVERSEER_GOAL_SECRET: wrong }).decide(bash('ls'));
      expect(decision.behavior === 'deny' && decision.message).toMatch(/unauthorized/);
    }
    await expect(bridgeFor(svc, env).decide(bash('ls'))).resolves.toMatchObject({ behavior: 'allow' });
  });

  it("takes the goal's mode and the policy in its metadata, unless the caller overrides them", async () => {
    const { service: svc, stores, storedGoal } = await service();
    const policy = parseRulesText('[{"tool":"Bash","pattern":"git *","decision":"allow"}]', 'rules.json');
    const goal = makeGoal(tempDir(), 'ask', withGoalPolicy({}, policy));
    stores.addGoal(goal.id, goal.repoPath);
    const bridge = bridgeFor(svc, svc.openGoal(goal, makeWorkspace(goal)).mcpServer.env);
    await expect(bridge.decide(bash('git log'))).resolves.toMatchObject({ behavior: 'allow' });
    await expect(bridge.decide(bash('make'))).resolves.toMatchObject({ behavior: 'deny' });
    expect(stores.all().map((record) => record.decidedBy?.kind)).toEqual(['rule', 'rule']);
    const allowAll = storedGoal('deny');
    const other = bridgeFor(svc, svc.openGoal(allowAll, makeWorkspace(allowAll), { mode: 'allow-all' }).mcpServer.env);
    await expect(other.decide(bash('make'))).resolves.toMatchObject({ behavior: 'allow' });
  });

  it('marks requests a dead host left pending as expired when it starts', async () => {
    const stores = permissionTestStores();
    const goalId = randomUUID();
    stores.addGoal(goalId);
    stores.records.insertPending({
      id: randomUUID(),
      goalId,
      turnIndex: 1,
      toolName: 'Bash',
      toolUseId: '',
      input: {},
      createdAt: new Date().toISOString(),
    });
    const { expired } = await service(stores);
    expect(expired).toBe(1);
    expect(stores.all()[0]?.status).toBe('expired');
  });

  it('removes its socket on close and puts a socket whose path would be too long under a private temp folder', async () => {
    const { service: svc } = await service();
    const path = svc.socketPath;
    await svc.close();
    expect(existsSync(path)).toBe(false);
    const long = join(tempDir(), 'x'.repeat(120));
    const fallback = socketPathFor(long);
    onCleanup(() => rmSync(dirname(fallback), { recursive: true, force: true }));
    expect(Buffer.byteLength(fallback)).toBeLessThanOrEqual(100);
    expect(statSync(join(fallback, '..')).mode & 0o777).toBe(0o700);
    expect(socketPathFor(long)).toBe(fallback);
  });
});
