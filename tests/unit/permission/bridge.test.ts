// The bridge: its socket client fails closed (missing / refused / closed / silent socket, error
// frames), waits without limit once the host has acknowledged, and cancels; its MCP face answers the
// exact shapes Claude Code needs; the real bridge process, spawned over stdio, asks the host and denies
// when the host is gone or its environment is incomplete.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { PermissionDecision } from '../../../src/shared/domain/permission.js';
import { PermissionSocketClient } from '../../../src/main/permission/bridge-client.js';
import { createBridgeMcpServer } from '../../../src/main/permission/bridge-mcp.js';
import {
  FrameSplitter,
  parseClientFrame,
  type ClientFrame,
  type ToolCall,
} from '../../../src/main/permission/frames.js';
import { createPermissionService } from '../../../src/main/permission/index.js';
import { PERMISSION_TOOL_NAME } from '../../../src/main/driver/mcp-config.js';
import { permissionTestStores } from '../../helpers/permission-stores.js';
import { sourceBridgeCommand } from '../../../src/main/permission/source-bridge.js';
import { makeGoal, makeWorkspace, onCleanup, RecordingSink, tempDir, waitFor } from './helpers.js';
import { leaveStaleSocket } from './socket-client.js';

const call: ToolCall = { toolName: 'Bash', input: { command: 'ls' }, toolUseId: 'tu' };
const GOAL = '11111111-1111-4111-8111-111111111111';
const SECRET = 'a-secret-long-enough-for-the-bridge';

/** A scripted host: `onFrame` gets every client frame and a `reply` function. */
async function scriptedHost(
  onFrame: (frame: ClientFrame, reply: (frame: object) => void, close: () => void) => void,
): Promise<{ path: string; server: Server }> {
  const path = join(tempDir('perm-br-'), 'host.sock');
  const server = createServer((socket) => {
    const splitter = new FrameSplitter();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk).lines) {
        const parsed = parseClientFrame(line);
        if (parsed.ok)
          onFrame(
            parsed.frame,
            (frame) => socket.write(`${JSON.stringify(frame)}\n`),
            () => socket.destroy(),
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { path, server };
}

function client(path: string, extra: { ackTimeoutMs?: number } = {}): PermissionSocketClient {
  const c = new PermissionSocketClient({ socketPath: path, goalId: GOAL, secret: SECRET, ...extra });
  onCleanup(() => c.close());
  return c;
}

/** Polls `condition` on setImmediate (not a timer: this works under fake timers) until true, then `turns` more. */
async function untilImmediate(condition: () => boolean, turns = 0): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

function denyMessage(decision: PermissionDecision): string {
  if (decision.behavior !== 'deny') throw new Error(`expected a deny, got ${JSON.stringify(decision)}`);
  return decision.message;
}

describe('bridge socket client fails closed', () => {
  it('denies when the socket does not exist', async () => {
    const decision = await client(join(tempDir(), 'missing.sock')).decide(call);
    expect(denyMessage(decision)).toMatch(/does not exist.*Overseer host running/);
  });

  it('denies when nothing listens on the socket any more (a dead host)', async () => {
    const path = join(tempDir(), 'stale.sock');
    await leaveStaleSocket(path);
    expect(denyMessage(await client(path).decide(call))).toMatch(/nothing is listening/);
  });

  it('denies when the host closes the connection while the operator thinks', async () => {
    const host = await scriptedHost((frame, reply, close) => {
      if (frame.kind !== 'decide') return;
      reply({ v: 1, kind: 'accepted', id: frame.id });
      setImmediate(close);
    });
    expect(denyMessage(await client(host.path).decide(call))).toMatch(/closed the permission connection/);
  });

  it('denies when the host never acknowledges, saying it was silent', async () => {
    const host = await scriptedHost(() => undefined);
    expect(denyMessage(await client(host.path, { ackTimeoutMs: 50 }).decide(call))).toMatch(/did not acknowledge/);
  });

  it('keeps waiting past the ack timeout once the host has acknowledged', async () => {
    // The client's timers are fake, so a busy machine cannot make the ack timeout fire before the
    // host's `accepted` arrives; the sockets stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onCleanup(() => {
      vi.useRealTimers();
    });
    const gate: { release?: () => void } = {};
    const host = await scriptedHost((frame, reply) => {
      if (frame.kind !== 'decide') return;
      reply({ v: 1, kind: 'accepted', id: frame.id });
      gate.release = () =>
        reply({
          v: 1,
          kind: 'decision',
          id: frame.id,
          decision: { behavior: 'allow', updatedInput: { command: 'ls -la' } },
        });
    });
    let settled = false;
    const asking = client(host.path, { ackTimeoutMs: 20 });
    const decision = asking.decide(call).finally(() => {
      settled = true;
    });
    // The host has acknowledged and the client has read it (its ack timer may still be armed; when
    // it fires it finds nothing to deny).
    await untilImmediate(() => gate.release !== undefined && asking.awaitingAcknowledgement === 0);
    // Well past the ack timeout: still waiting.
    vi.advanceTimersByTime(1_000);
    await untilImmediate(() => true, 20);
    expect(settled).toBe(false);
    gate.release?.();
    await expect(decision).resolves.toEqual({ behavior: 'allow', updatedInput: { command: 'ls -la' } });
  });

  it('denies only the requests the host left unacknowledged past their own deadline', async () => {
    // Requests share one acknowledgement timer: the one the host acknowledged must not be denied with
    // the one it ignored.
    const host = await scriptedHost((frame, reply) => {
      if (frame.kind === 'decide' && frame.call.toolUseId === 'acked') reply({ v: 1, kind: 'accepted', id: frame.id });
    });
    const asking = client(host.path, { ackTimeoutMs: 100 });
    let ackedSettled = false;
    const acked = asking.decide({ ...call, toolUseId: 'acked' }).finally(() => {
      ackedSettled = true;
    });
    await waitFor(() => asking.awaitingAcknowledgement === 0);
    const ignored = await asking.decide({ ...call, toolUseId: 'ignored' });
    expect(denyMessage(ignored)).toMatch(/did not acknowledge the request within 100 ms/);
    expect(ackedSettled).toBe(false);
    asking.close();
    expect(denyMessage(await acked)).toMatch(/shutting down/);
  });

  it('turns an error frame into a deny naming it, and reconnects for the next request', async () => {
    let connections = 0;
    const host = await scriptedHost((frame, reply, close) => {
      if (frame.kind !== 'decide') return;
      if (frame.id === '0') {
        reply({
          v: 1,
          kind: 'error',
          id: null,
          code: 'unauthorized',
          message: 'unknown goal or wrong secret',
          fatal: true,
        });
        close();
        return;
      }
      reply({ v: 1, kind: 'decision', id: frame.id, decision: { behavior: 'allow', updatedInput: frame.call.input } });
    });
    host.server.on('connection', () => connections++);
    const bridge = client(host.path);
    expect(denyMessage(await bridge.decide(call))).toMatch(
      /rejected the request \(unauthorized: unknown goal or wrong secret\)/,
    );
    await expect(bridge.decide(call)).resolves.toMatchObject({ behavior: 'allow' });
    expect(connections).toBe(2);
  });

  it('sends a cancel frame and denies when Claude cancels', async () => {
    const seen: string[] = [];
    const host = await scriptedHost((frame, reply) => {
      seen.push(frame.kind);
      if (frame.kind === 'decide') reply({ v: 1, kind: 'accepted', id: frame.id });
    });
    const controller = new AbortController();
    const decision = client(host.path).decide(call, controller.signal);
    await waitFor(() => seen.includes('decide'));
    controller.abort();
    expect(denyMessage(await decision)).toMatch(/cancelled/);
    await waitFor(() => seen.includes('cancel'));
  });
});

const textResult = z.object({
  content: z.tuple([z.object({ type: z.literal('text'), text: z.string() })]),
  isError: z.boolean().optional(),
});

async function inMemoryBridge(decide: (call: ToolCall) => Promise<PermissionDecision>): Promise<Client> {
  const server = createBridgeMcpServer((c) => decide(c));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: 'test', version: '1' });
  await mcp.connect(clientSide);
  onCleanup(() => mcp.close());
  return mcp;
}

async function ask(mcp: Client, args: Record<string, unknown>): Promise<unknown> {
  const result = textResult.parse(
    await mcp.callTool({ name: PERMISSION_TOOL_NAME, arguments: args }, CallToolResultSchema),
  );
  expect(result).not.toHaveProperty('structuredContent');
  return JSON.parse(result.content[0].text);
}

describe('bridge MCP server', () => {
  it('lists exactly one tool, permission_prompt, taking tool_name and input', async () => {
    const mcp = await inMemoryBridge(async () => ({ behavior: 'deny', message: 'x', interrupt: false }));
    expect(mcp.getServerVersion()).toMatchObject({ name: 'overseer' });
    const listed = await mcp.listTools();
    expect(listed.tools.map((t) => t.name)).toEqual(['permission_prompt']);
    expect(listed.tools[0]?.inputSchema).toMatchObject({ type: 'object', required: ['tool_name', 'input'] });
    expect(listed).not.toHaveProperty('nextCursor');
  });

  it('answers allow with updatedInput always present, deny with the message, and interrupt only when stopping', async () => {
    const decisions: PermissionDecision[] = [
      { behavior: 'allow', updatedInput: { command: 'ls' } },
      { behavior: 'deny', message: 'not that', interrupt: false },
      { behavior: 'deny', message: 'stop', interrupt: true },
    ];
    const received: ToolCall[] = [];
    const mcp = await inMemoryBridge(async (c) => {
      received.push(c);
      return decisions[received.length - 1] ?? { behavior: 'deny', message: '?', interrupt: false };
    });
    const args = { tool_name: 'Bash', input: { command: 'ls' }, tool_use_id: 'toolu_9' };
    expect(await ask(mcp, args)).toEqual({ behavior: 'allow', updatedInput: { command: 'ls' } });
    expect(await ask(mcp, args)).toEqual({ behavior: 'deny', message: 'not that' });
    expect(await ask(mcp, args)).toEqual({ behavior: 'deny', message: 'stop', interrupt: true });
    expect(received[0]).toEqual({ toolName: 'Bash', input: { command: 'ls' }, toolUseId: 'toolu_9' });
  });

  it('refuses malformed arguments and unknown tools with protocol errors', async () => {
    const mcp = await inMemoryBridge(async () => ({ behavior: 'allow', updatedInput: {} }));
    await expect(mcp.callTool({ name: PERMISSION_TOOL_NAME, arguments: { input: {} } })).rejects.toThrow(
      /invalid arguments/,
    );
    await expect(
      mcp.callTool({ name: PERMISSION_TOOL_NAME, arguments: { tool_name: 'Bash', input: 'ls' } }),
    ).rejects.toThrow(/invalid arguments/);
    await expect(mcp.callTool({ name: 'other_tool', arguments: {} })).rejects.toThrow(/unknown tool other_tool/);
  });
});

async function spawnedBridge(env: Record<string, string>): Promise<Client> {
  const command = sourceBridgeCommand();
  const transport = new StdioClientTransport({
    command: command.command,
    args: command.args,
    env: { ...getDefaultEnvironment(), ...env },
    cwd: tempDir(), // Claude starts the bridge from the workspace: nothing may depend on the cwd
    stderr: 'ignore',
  });
  const mcp = new Client({ name: 'test', version: '1' });
  await mcp.connect(transport);
  onCleanup(() => mcp.close());
  return mcp;
}

describe('bridge process', () => {
  it('denies every call, naming what is missing, when its environment is incomplete', async () => {
    const mcp = await spawnedBridge({ OVERSEER_GOAL_ID: GOAL });
    const answer = await ask(mcp, { tool_name: 'Write', input: { file_path: '/x' } });
    expect(answer).toMatchObject({ behavior: 'deny' });
    expect(JSON.stringify(answer)).toMatch(/OVERSEER_PERMISSION_SOCKET is missing.*OVERSEER_GOAL_SECRET is missing/);
  });

  it('asks the host for its goal, and denies once the host is gone', async () => {
    const events = new RecordingSink();
    const stores = permissionTestStores();
    onCleanup(() => stores.close());
    const service = createPermissionService({
      runtimeDir: join(tempDir('perm-br-'), 'run'),
      bridge: sourceBridgeCommand(),
      stores,
      events,
    });
    events.react((event) => {
      if (event.kind === 'permission_requested') service.allowWithEdit(event.request.id, { command: 'echo edited' });
    });
    await service.start();
    onCleanup(() => service.close());
    const goal = makeGoal(tempDir());
    stores.addGoal(goal.id, goal.repoPath);
    const handle = service.openGoal(goal, makeWorkspace(goal));
    const mcp = await spawnedBridge(handle.mcpServer.env);
    expect(await ask(mcp, { tool_name: 'Bash', input: { command: 'echo hi' }, tool_use_id: 't1' })).toEqual({
      behavior: 'allow',
      updatedInput: { command: 'echo edited' },
    });
    expect(events.ofKind('permission_requested')[0]?.request).toMatchObject({ goalId: goal.id, toolUseId: 't1' });

    await service.close();
    const after = await ask(mcp, { tool_name: 'Bash', input: { command: 'echo hi' } });
    expect(after).toMatchObject({ behavior: 'deny' });
    expect(JSON.stringify(after)).toMatch(/permission socket .* does not exist|closed the permission connection/);
  });
});
