// The permission server, driven directly over its Unix socket: file modes, stale and live sockets,
// 50 concurrent bridge clients, malformed / oversized / split / unauthenticated frames, and a fuzz run
// of a few thousand random frames — none may crash it or deliver a decision to the wrong goal.
import { statSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../../src/shared/events.js';
import { PermissionSocketClient } from '../../../src/main/permission/bridge-client.js';
import {
  encodeFrame,
  MAX_FRAME_BYTES,
  parseClientFrame,
  type ClientFrame,
} from '../../../src/main/permission/frames.js';
import { createPermissionService, type PermissionService } from '../../../src/main/permission/index.js';
import { PermissionServer, type PermissionServerOptions } from '../../../src/main/permission/server.js';
import { permissionTestStores } from '../../helpers/permission-stores.js';
import type { PermissionMode } from '../../../src/shared/domain/goal.js';
import { makeGoal, makeWorkspace, onCleanup, RecordingSink, tempDir, waitFor } from './helpers.js';
import { leaveStaleSocket, RawClient } from './socket-client.js';

interface Harness {
  service: PermissionService;
  events: RecordingSink;
  runtimeDir: string;
  /** Opens a goal; returns its id and secret as the bridge would get them. */
  goal(mode?: PermissionMode): { goalId: string; secret: string; close(reason: string): void };
}

async function startHarness(operator?: (event: DriverEvent, service: PermissionService) => void): Promise<Harness> {
  const root = tempDir('perm-srv-');
  const runtimeDir = join(root, 'run');
  const events = new RecordingSink();
  const stores = permissionTestStores();
  onCleanup(() => stores.close());
  const service = createPermissionService({
    runtimeDir,
    bridge: { command: process.execPath, args: ['bridge.js'] },
    stores,
    events,
  });
  if (operator !== undefined) events.react((event) => operator(event, service));
  await service.start();
  onCleanup(() => service.close());
  return {
    service,
    events,
    runtimeDir,
    goal(mode: PermissionMode = 'ask') {
      const goal = makeGoal(root, mode);
      stores.addGoal(goal.id, goal.repoPath);
      const handle = service.openGoal(goal, makeWorkspace(goal));
      return {
        goalId: goal.id,
        secret: handle.mcpServer.env['OVERSEER_GOAL_SECRET'] ?? '',
        close: (reason: string) => handle.close(reason),
      };
    },
  };
}

/** Allows every request with its input tagged by the goal it was decided for. */
function taggingOperator(event: DriverEvent, service: PermissionService): void {
  if (event.kind !== 'permission_requested') return;
  service.allowWithEdit(event.request.id, { ...event.request.input, decidedFor: event.request.goalId });
}

type DecideFrame = Extract<ClientFrame, { kind: 'decide' }>;

function decide(
  id: string,
  goalId: string,
  secret: string,
  input: Record<string, unknown> = { command: 'ls' },
): DecideFrame {
  return { v: 1, kind: 'decide', id, goalId, secret, call: { toolName: 'Bash', input, toolUseId: `tu-${id}` } };
}

function bridgeClient(harness: Harness, goal: { goalId: string; secret: string }): PermissionSocketClient {
  const client = new PermissionSocketClient({
    socketPath: harness.service.socketPath,
    goalId: goal.goalId,
    secret: goal.secret,
  });
  onCleanup(() => client.close());
  return client;
}

describe('PermissionServer files', () => {
  it('keeps its socket at mode 0600; an existing loose folder keeps its mode (a warning, never a chmod)', async () => {
    const root = tempDir('perm-srv-');
    const runtimeDir = join(root, 'run');
    mkdirSync(runtimeDir, { mode: 0o755 });
    chmodSync(runtimeDir, 0o755);
    const service = createPermissionService({
      runtimeDir,
      bridge: { command: 'node', args: [] },
      stores: permissionTestStores(),
      events: new RecordingSink(),
    });
    await service.start();
    onCleanup(() => service.close());
    expect(service.socketPath).toBe(join(runtimeDir, 'permission.sock'));
    expect(statSync(runtimeDir).mode & 0o777).toBe(0o755);
    const socket = statSync(service.socketPath);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
  });

  it('refuses a socket folder other users can write to (it is never chmod-ed)', async () => {
    const root = tempDir('perm-srv-');
    const runtimeDir = join(root, 'run');
    mkdirSync(runtimeDir);
    chmodSync(runtimeDir, 0o777);
    const service = createPermissionService({
      runtimeDir,
      bridge: { command: 'node', args: [] },
      stores: permissionTestStores(),
      events: new RecordingSink(),
    });
    onCleanup(() => service.close());
    await expect(service.start()).rejects.toThrow(/can be written by other users/);
    expect(statSync(runtimeDir).mode & 0o777).toBe(0o777);
  });

  it('replaces a stale socket left by a dead host, refuses to displace a live one or a regular file', async () => {
    const root = tempDir('perm-srv-');
    const runtimeDir = join(root, 'run');
    mkdirSync(runtimeDir, { mode: 0o700 });
    const path = join(runtimeDir, 'permission.sock');
    await leaveStaleSocket(path);
    expect(statSync(path).isSocket()).toBe(true);
    const make = () =>
      createPermissionService({
        runtimeDir,
        bridge: { command: 'node', args: [] },
        stores: permissionTestStores(),
        events: new RecordingSink(),
      });
    const first = make();
    await first.start();
    onCleanup(() => first.close());
    const live = await RawClient.connect(path);
    live.destroy();
    await expect(make().start()).rejects.toThrow(/already serving/);
    await first.close();

    writeFileSync(path, 'not a socket');
    await expect(make().start()).rejects.toThrow(/not a socket/);
  });
});

describe('PermissionServer traffic', () => {
  it("serves 50 concurrent bridges, each getting only its own goal's decisions", async () => {
    const harness = await startHarness(taggingOperator);
    const goals = Array.from({ length: 50 }, () => harness.goal());
    const results = await Promise.all(
      goals.map(async (goal) => {
        const client = bridgeClient(harness, goal);
        return Promise.all(
          [0, 1, 2].map(async (n) => ({
            goal,
            n,
            decision: await client.decide({
              toolName: 'Bash',
              input: { command: `echo ${goal.goalId} ${n}` },
              toolUseId: '',
            }),
          })),
        );
      }),
    );
    const flat = results.flat();
    expect(flat).toHaveLength(150);
    for (const { goal, n, decision } of flat) {
      expect(decision).toEqual({
        behavior: 'allow',
        updatedInput: { command: `echo ${goal.goalId} ${n}`, decidedFor: goal.goalId },
      });
    }
    expect(harness.events.ofKind('permission_decided')).toHaveLength(150);
  });

  it('answers a frame split across many writes', async () => {
    const harness = await startHarness(taggingOperator);
    const goal = harness.goal();
    const client = await RawClient.connect(harness.service.socketPath);
    const bytes = Buffer.from(encodeFrame(decide('s1', goal.goalId, goal.secret, { command: 'echo ü€ split' })));
    for (let i = 0; i < bytes.length; i += 7) {
      client.send(bytes.subarray(i, i + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.waitFrame('accepted', 's1');
    expect(await client.waitFrame('decision', 's1')).toMatchObject({
      decision: { behavior: 'allow', updatedInput: { command: 'echo ü€ split', decidedFor: goal.goalId } },
    });
    expect(client.closed).toBe(false);
    client.destroy();
  });

  it('sends accepted and an automatic decision in one write; a request for the operator is accepted at once', async () => {
    const harness = await startHarness();
    const client = await RawClient.connect(harness.service.socketPath);
    const writes = countServerWrites(client.socket);
    const allowAll = harness.goal('allow-all');
    client.send(encodeFrame(decide('r1', allowAll.goalId, allowAll.secret)));
    await client.waitFrame('decision', 'r1');
    expect(client.frames.map((frame) => frame.kind)).toEqual(['accepted', 'decision']);
    expect(writes()).toBe(1);
    const ask = harness.goal('ask');
    client.send(encodeFrame(decide('r2', ask.goalId, ask.secret)));
    await client.waitFrame('accepted', 'r2');
    await waitFor(() => harness.service.listPending().length === 1);
    expect(client.frame('decision', 'r2')).toBeUndefined();
    harness.service.allowOnce(harness.service.listPending()[0]?.request.id ?? '');
    expect(await client.waitFrame('decision', 'r2')).toMatchObject({ decision: { behavior: 'allow' } });
    expect(writes()).toBe(3);
    client.destroy();
  });

  it('takes a frame just under 16 MiB (a big Write) and refuses a bigger one with a clear error', async () => {
    const harness = await startHarness(taggingOperator);
    const goal = harness.goal();
    const big = await RawClient.connect(harness.service.socketPath);
    const content = 'a'.repeat(MAX_FRAME_BYTES - 1024);
    big.send(
      encodeFrame({
        ...decide('big', goal.goalId, goal.secret),
        call: { toolName: 'Write', input: { file_path: '/x', content }, toolUseId: '' },
      }),
    );
    const decision = await big.waitFrame('decision', 'big');
    expect(
      decision.kind === 'decision' &&
        decision.decision.behavior === 'allow' &&
        decision.decision.updatedInput['content'],
    ).toBe(content);
    big.destroy();

    const tooBig = await RawClient.connect(harness.service.socketPath);
    tooBig.send(`{"v":1,"kind":"decide","id":"huge","call":{"input":{"content":"${'b'.repeat(MAX_FRAME_BYTES)}`);
    expect(await tooBig.waitFrame('error')).toMatchObject({
      code: 'frame_too_large',
      fatal: true,
      message: expect.stringContaining('limit'),
    });
    await tooBig.waitClosed();
  });

  it('closes a connection that sends garbage, a wrong version, or no/wrong secret; other connections carry on', async () => {
    const harness = await startHarness();
    const goal = harness.goal();
    const other = harness.goal();
    // A bystander with a request waiting for the operator.
    const bystander = await RawClient.connect(harness.service.socketPath);
    bystander.send(encodeFrame(decide('b1', goal.goalId, goal.secret)));
    await bystander.waitFrame('accepted', 'b1');

    const { secret: _omit, ...noSecret } = decide('x', goal.goalId, goal.secret);
    const cases: [string, string][] = [
      ['this is not json\n', 'parse_error'],
      [`${JSON.stringify({ ...decide('x', goal.goalId, goal.secret), v: 9 })}\n`, 'unsupported_version'],
      [`${JSON.stringify(noSecret)}\n`, 'unauthorized'],
      [encodeFrame(decide('x', goal.goalId, 'wrong-secret')), 'unauthorized'],
      [encodeFrame(decide('x', goal.goalId, other.secret)), 'unauthorized'],
      [encodeFrame(decide('x', '00000000-0000-4000-8000-000000000000', goal.secret)), 'unauthorized'],
      [`${JSON.stringify({ v: 1, kind: 'decide', id: 'x' })}\n`, 'unauthorized'],
      [
        `${JSON.stringify({ v: 1, kind: 'decide', id: 'x', goalId: goal.goalId, secret: goal.secret, call: { toolName: '' } })}\n`,
        'bad_frame',
      ],
    ];
    for (const [payload, code] of cases) {
      const client = await RawClient.connect(harness.service.socketPath);
      client.send(payload);
      expect(await client.waitFrame('error')).toMatchObject({ code, fatal: true });
      await client.waitClosed();
      expect(client.frame('decision')).toBeUndefined();
    }
    // A duplicate id on one connection is refused too.
    const dup = await RawClient.connect(harness.service.socketPath);
    dup.send(encodeFrame(decide('d', goal.goalId, goal.secret)) + encodeFrame(decide('d', goal.goalId, goal.secret)));
    expect(await dup.waitFrame('error')).toMatchObject({ code: 'duplicate_id' });
    await dup.waitClosed();

    expect(bystander.closed).toBe(false);
    const pending = harness.service.listPending().find((r) => r.request.toolUseId === 'tu-b1');
    harness.service.allowOnce(pending?.request.id ?? '');
    expect(await bystander.waitFrame('decision', 'b1')).toMatchObject({ decision: { behavior: 'allow' } });
  });

  it("refuses a closed goal's secret and denies its waiting request", async () => {
    const harness = await startHarness();
    const goal = harness.goal();
    const client = await RawClient.connect(harness.service.socketPath);
    client.send(encodeFrame(decide('w', goal.goalId, goal.secret)));
    await client.waitFrame('accepted', 'w');
    goal.close('the goal was cancelled');
    expect(await client.waitFrame('decision', 'w')).toMatchObject({ decision: { behavior: 'deny', interrupt: true } });
    client.send(encodeFrame(decide('w2', goal.goalId, goal.secret)));
    expect(await client.waitFrame('error', 'w2')).toMatchObject({ code: 'unauthorized' });
  });

  it('survives a fuzz run of thousands of random frames without crashing or leaking a decision', async () => {
    const harness = await startHarness(taggingOperator);
    const goals = [harness.goal('allow-all'), harness.goal('deny'), harness.goal('ask')];
    let seed = 0x5eed1234;
    const random = () => {
      // mulberry32: deterministic, so a failure is reproducible.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const randomText = (max: number) =>
      Array.from({ length: Math.floor(random() * max) }, () => String.fromCharCode(Math.floor(random() * 0x7f))).join(
        '',
      );
    const randomValue = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 4 : 6));
      if (kind === 0) return null;
      if (kind === 1) return random() * 1e6;
      if (kind === 2) return randomText(12);
      if (kind === 3) return random() < 0.5;
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [randomText(6), randomValue(depth + 1)]),
      );
    };

    const makeFrame = (n: number, clean: boolean): string => {
      const goal = pick(goals);
      const valid = decide(`f${n}`, goal.goalId, goal.secret, { command: `fuzz ${n}` });
      if (clean) return encodeFrame(valid);
      switch (Math.floor(random() * 10)) {
        case 0:
          return `${randomText(80)}\n`;
        case 1:
          return `${JSON.stringify(randomValue(0))}\n`;
        case 2: {
          const mutated: Record<string, unknown> = { ...valid };
          mutated[pick(['v', 'kind', 'id', 'goalId', 'secret', 'call'])] = randomValue(1);
          return `${JSON.stringify(mutated)}\n`;
        }
        case 3:
          return encodeFrame({ ...valid, secret: pick(goals).secret });
        case 4: {
          const text = encodeFrame(valid);
          const cut = Math.floor(random() * text.length);
          return `${text.slice(0, cut)}${randomText(5)}${text.slice(cut)}`;
        }
        default:
          return encodeFrame(valid);
      }
    };
    const secretOf = new Map(goals.map((goal) => [goal.goalId, goal.secret]));
    /** The oracle: what the server must see in a payload — id → the goal and call of each authentic decide frame. */
    const authenticRequests = (payload: string): Map<string, { goalId: string; input: Record<string, unknown> }> => {
      const found = new Map<string, { goalId: string; input: Record<string, unknown> }>();
      for (const line of payload.split('\n')) {
        if (line.trim() === '') continue;
        const parsed = parseClientFrame(line);
        if (!parsed.ok) break; // the server closes the connection here
        const frame = parsed.frame;
        if (secretOf.get(frame.goalId) !== frame.secret) break;
        if (frame.kind !== 'decide') continue;
        if (found.has(frame.id)) break;
        found.set(frame.id, { goalId: frame.goalId, input: frame.call.input });
      }
      return found;
    };

    const FRAMES = 3000;
    let sent = 0;
    let decisions = 0;
    while (sent < FRAMES) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => RawClient.connect(harness.service.socketPath)));
      const expected = new Map<RawClient, Map<string, { goalId: string; input: Record<string, unknown> }>>();
      for (const client of batch) {
        // A third of the connections behave, amid the noise of the others.
        const clean = random() < 1 / 3;
        const count = 1 + Math.floor(random() * 10);
        let payload = '';
        for (let i = 0; i < count; i++) payload += makeFrame(sent++, clean);
        expected.set(client, authenticRequests(payload));
        client.send(payload);
      }
      // Every authentic request is decided (the connection may be closed afterwards by a later bad frame).
      await waitFor(
        () =>
          batch.every((client) =>
            [...(expected.get(client)?.keys() ?? [])].every(
              (id) => client.frame('decision', id) !== undefined || client.closed,
            ),
          ),
        30_000,
        'a fuzz batch to settle',
      );
      for (const client of batch) {
        expect(client.unreadable).toEqual([]);
        const asked = expected.get(client) ?? new Map();
        for (const frame of client.frames) {
          if (frame.kind !== 'decision') continue;
          decisions++;
          // A decision only ever answers an authentic request this connection made…
          const request = asked.get(frame.id);
          expect(request).toBeDefined();
          // …and is about that request's call, decided for that request's goal.
          if (frame.decision.behavior === 'allow') {
            expect(frame.decision.updatedInput['command']).toBe(request?.input['command']);
            if ('decidedFor' in frame.decision.updatedInput)
              expect(frame.decision.updatedInput['decidedFor']).toBe(request?.goalId);
          } else {
            expect(frame.decision.message).toContain(String(request?.input['command']));
          }
        }
        client.destroy();
      }
    }
    expect(decisions).toBeGreaterThan(300);
    // Still serving.
    const after = bridgeClient(harness, goals[0] ?? harness.goal());
    await expect(after.decide({ toolName: 'Bash', input: { command: 'ls' }, toolUseId: '' })).resolves.toMatchObject({
      behavior: 'allow',
    });
  });
});

/** A bare PermissionServer with small limits: goal `g` with secret `s`; every call allowed with `answer`. */
async function limitedServer(
  limits: Partial<PermissionServerOptions>,
  answer: Record<string, unknown> = {},
): Promise<PermissionServer> {
  const root = tempDir('perm-lim-');
  const server = new PermissionServer({
    socketPath: join(root, 'run', 'permission.sock'),
    closeGraceMs: 50,
    handler: {
      authenticate: (goalId, secret) => goalId === 'g' && secret === 's',
      decide: () => Promise.resolve({ behavior: 'allow', updatedInput: answer }),
    },
    ...limits,
  });
  await server.start();
  onCleanup(() => server.close());
  return server;
}

describe('PermissionServer limits', () => {
  it('closes a connection that sends no authenticated frame in time; an authenticated one stays', async () => {
    const server = await limitedServer({ authTimeoutMs: 300 });
    const authenticated = await RawClient.connect(server.socketPath);
    authenticated.send(encodeFrame(decide('a', 'g', 's')));
    await authenticated.waitFrame('decision', 'a');
    const silent = await RawClient.connect(server.socketPath);
    const trickle = await RawClient.connect(server.socketPath);
    trickle.send('{"v":1,"kind":"decide"'); // never finishes its frame
    expect(await silent.waitFrame('error')).toMatchObject({ code: 'auth_timeout', fatal: true });
    expect(await trickle.waitFrame('error')).toMatchObject({ code: 'auth_timeout', fatal: true });
    await silent.waitClosed();
    await trickle.waitClosed();
    expect(authenticated.closed).toBe(false);
    authenticated.send(encodeFrame(decide('b', 'g', 's')));
    expect(await authenticated.waitFrame('decision', 'b')).toMatchObject({ decision: { behavior: 'allow' } });
  });

  it('refuses connections over the limit and serves again once one closes', async () => {
    const server = await limitedServer({ maxConnections: 3 });
    const open = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.socketPath)));
    await waitFor(() => server.connectionCount === 3, 20_000, 'three connections');
    const extra = await RawClient.connect(server.socketPath);
    expect(await extra.waitFrame('error')).toMatchObject({ code: 'server_busy', fatal: true });
    await extra.waitClosed();
    open[0]?.destroy();
    await waitFor(() => server.connectionCount === 2, 20_000, 'a slot to free up');
    const next = await RawClient.connect(server.socketPath);
    next.send(encodeFrame(decide('n', 'g', 's')));
    expect(await next.waitFrame('decision', 'n')).toMatchObject({ decision: { behavior: 'allow' } });
  });

  it('caps unfinished-frame bytes per connection and across connections', async () => {
    const server = await limitedServer({ maxFrameBytes: 1000, maxBufferedBytes: 2000 });
    const first = await RawClient.connect(server.socketPath);
    const second = await RawClient.connect(server.socketPath);
    const third = await RawClient.connect(server.socketPath);
    first.send(`{"pad":"${'a'.repeat(900)}`);
    second.send(`{"pad":"${'b'.repeat(900)}`);
    await waitFor(() => server.connectionCount === 3, 20_000, 'three connections');
    // Each connection is under its own cap; the third one pushes the total over the server's.
    third.send(`{"pad":"${'c'.repeat(900)}`);
    expect(await third.waitFrame('error')).toMatchObject({ code: 'server_busy', fatal: true });
    await third.waitClosed();
    const alone = await RawClient.connect(server.socketPath);
    alone.send('x'.repeat(1001));
    expect(await alone.waitFrame('error')).toMatchObject({ code: 'frame_too_large' });
    await alone.waitClosed();
    expect(first.closed || second.closed).toBe(false);
    // The budget is given back when a connection goes: a new partial frame fits again.
    first.destroy();
    await waitFor(() => server.connectionCount === 1, 20_000, 'the first connection to go');
    const fourth = await RawClient.connect(server.socketPath);
    const frame = encodeFrame(decide('p', 'g', 's', { pad: 'd'.repeat(800) }));
    fourth.send(frame.slice(0, 850));
    await waitFor(() => server.connectionCount === 2, 20_000, 'the fourth connection');
    fourth.send(frame.slice(850));
    expect(await fourth.waitFrame('decision', 'p')).toMatchObject({ decision: { behavior: 'allow' } });
  });

  it('drops a connection that never reads its answers', async () => {
    const server = await limitedServer({ maxWriteBacklogBytes: 64 * 1024 }, { blob: 'z'.repeat(200_000) });
    const reader = await RawClient.connect(server.socketPath);
    reader.socket.pause();
    let payload = '';
    for (let i = 0; i < 40; i++) payload += encodeFrame(decide(`r${i}`, 'g', 's'));
    reader.send(payload);
    await waitFor(() => server.connectionCount === 0, 20_000, 'the unread connection to be dropped');
  });
});

/**
 * Counts the writes the server's sockets hand to the operating system (Node's net.Socket funnels
 * `_write` and `_writev` through `_writeGeneric`), leaving out the client socket `mine`.
 */
function countServerWrites(mine: Socket): () => number {
  const original: unknown = Reflect.get(Socket.prototype, '_writeGeneric');
  if (typeof original !== 'function') throw new Error('net.Socket has no _writeGeneric in this Node');
  let count = 0;
  Reflect.set(Socket.prototype, '_writeGeneric', function (this: Socket, ...args: unknown[]): unknown {
    if (this !== mine) count++;
    return Reflect.apply(original, this, args);
  });
  onCleanup(() => {
    Reflect.set(Socket.prototype, '_writeGeneric', original);
  });
  return () => count;
}
