// The bridge's own minimal MCP server, kept honest against the MCP SDK: the SDK's Client drives it
// (in memory and over stdio, as Claude Code does) through initialize, ping, tools/list, tools/call,
// cancellation and unknown methods, and every answer equals what the SDK's own Server gives for the
// same tool. Its stdio transport reassembles split lines and survives garbage and oversized input.
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  EmptyResultSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { PermissionDecision } from '../../../src/shared/domain/permission.js';
import { answerFor } from '../../../src/main/driver/permission-answer.js';
import {
  BRIDGE_PROTOCOL_VERSIONS,
  BRIDGE_VERSION,
  BridgeMcpServer,
  type BridgeDecider,
} from '../../../src/main/permission/bridge-mcp.js';
import { StdioLineTransport } from '../../../src/main/permission/bridge-stdio.js';
import { MCP_SERVER_NAME, PERMISSION_TOOL_NAME } from '../../../src/main/driver/mcp-config.js';
import { sourceBridgeCommand } from '../../../src/main/permission/source-bridge.js';
import type { CancelSignal } from '../../../src/main/permission/cancel-signal.js';
import { onCleanup, tempDir, waitFor } from './helpers.js';

const ALLOW: PermissionDecision = { behavior: 'allow', updatedInput: { command: 'ls' } };

/** The SDK's own Server serving the same tool the same way: the reference our server must match. */
function sdkReferenceServer(decide: BridgeDecider, tools: unknown[]): Server {
  const server = new Server(
    { name: MCP_SERVER_NAME, version: BRIDGE_VERSION },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools as never[] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    if (request.params.name !== PERMISSION_TOOL_NAME)
      throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const decision = await decide(
      {
        toolName: String(args['tool_name']),
        input: args['input'] as Record<string, unknown>,
        toolUseId: String(args['tool_use_id'] ?? ''),
      },
      extra.signal,
    );
    return { content: [{ type: 'text', text: JSON.stringify(answerFor(decision)) }], isError: false };
  });
  return server;
}

type Connectable = { connect(transport: InMemoryTransport): Promise<void> };

async function connected(server: Connectable): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: 'conformance', version: '1' });
  await mcp.connect(clientSide);
  onCleanup(() => mcp.close());
  return mcp;
}

/** The answer to a raw initialize asking for `protocolVersion` (the SDK client always asks for its latest). */
async function rawInitialize(server: Connectable, protocolVersion: string): Promise<unknown> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  onCleanup(() => clientSide.close());
  const answer = new Promise<unknown>((resolve) => {
    clientSide.onmessage = (message) => resolve(message);
  });
  await clientSide.start();
  await clientSide.send({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  return answer;
}

describe('bridge MCP server conforms to the SDK', () => {
  it('speaks the protocol versions the SDK supports', () => {
    expect(BRIDGE_PROTOCOL_VERSIONS).toEqual(SUPPORTED_PROTOCOL_VERSIONS);
  });

  it('answers initialize, ping and tools/list exactly as the SDK Server does', async () => {
    const decide: BridgeDecider = () => Promise.resolve(ALLOW);
    const ours = await connected(new BridgeMcpServer(decide));
    const listed = await ours.listTools();
    const reference = await connected(sdkReferenceServer(decide, listed.tools));
    expect(ours.getServerVersion()).toEqual(reference.getServerVersion());
    expect(ours.getServerCapabilities()).toEqual(reference.getServerCapabilities());
    expect(ours.getInstructions()).toEqual(reference.getInstructions());
    expect(await ours.ping()).toEqual(await reference.ping());
    expect(listed).toEqual(await reference.listTools());
    for (const version of [...SUPPORTED_PROTOCOL_VERSIONS, '1999-01-01']) {
      const decideAny: BridgeDecider = () => Promise.resolve(ALLOW);
      expect(await rawInitialize(new BridgeMcpServer(decideAny), version)).toEqual(
        await rawInitialize(sdkReferenceServer(decideAny, listed.tools), version),
      );
    }
  });

  it('answers tools/call with the same result as the SDK Server, for allow, deny and interrupt', async () => {
    const decisions: PermissionDecision[] = [
      ALLOW,
      { behavior: 'deny', message: 'no', interrupt: false },
      { behavior: 'deny', message: 'stop', interrupt: true },
    ];
    let i = 0;
    let j = 0;
    const ours = await connected(new BridgeMcpServer(() => Promise.resolve(decisions[i++] ?? ALLOW)));
    const tools = (await ours.listTools()).tools;
    const reference = await connected(sdkReferenceServer(() => Promise.resolve(decisions[j++] ?? ALLOW), tools));
    const args = { tool_name: 'Bash', input: { command: 'ls' }, tool_use_id: 'toolu_1' };
    for (let k = 0; k < decisions.length; k += 1) {
      expect(await ours.callTool({ name: PERMISSION_TOOL_NAME, arguments: args }, CallToolResultSchema)).toEqual(
        await reference.callTool({ name: PERMISSION_TOOL_NAME, arguments: args }, CallToolResultSchema),
      );
    }
  });

  it('answers an unknown method with MethodNotFound and an unknown tool with InvalidParams, as the SDK does', async () => {
    const ours = await connected(new BridgeMcpServer(() => Promise.resolve(ALLOW)));
    const reference = await connected(sdkReferenceServer(() => Promise.resolve(ALLOW), []));
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => (error instanceof McpError ? error.code : String(error)),
      );
    expect(await codeOf(ours.request({ method: 'resources/list', params: {} }, EmptyResultSchema))).toBe(
      ErrorCode.MethodNotFound,
    );
    expect(await codeOf(reference.request({ method: 'resources/list', params: {} }, EmptyResultSchema))).toBe(
      ErrorCode.MethodNotFound,
    );
    expect(await codeOf(ours.callTool({ name: 'other', arguments: {} }))).toBe(ErrorCode.InvalidParams);
    expect(await codeOf(reference.callTool({ name: 'other', arguments: {} }))).toBe(ErrorCode.InvalidParams);
  });

  it('aborts the decision when the client cancels the call, and denies when deciding fails', async () => {
    let seen: CancelSignal | null = null;
    const ours = await connected(
      new BridgeMcpServer((call, signal) => {
        if (call.toolName === 'Boom') return Promise.reject(new Error('exploded'));
        seen = signal;
        return new Promise<PermissionDecision>(() => undefined);
      }),
    );
    const controller = new AbortController();
    const pending = ours.callTool(
      { name: PERMISSION_TOOL_NAME, arguments: { tool_name: 'Bash', input: {} } },
      CallToolResultSchema,
      { signal: controller.signal },
    );
    await waitFor(() => seen !== null);
    controller.abort('operator');
    await expect(pending).rejects.toThrow();
    await waitFor(() => seen?.aborted === true);
    const failed = await ours.callTool(
      { name: PERMISSION_TOOL_NAME, arguments: { tool_name: 'Boom', input: {} } },
      CallToolResultSchema,
    );
    expect(JSON.stringify(failed.content)).toMatch(/could not decide on this tool call, so it was denied: exploded/);
  });

  it('serves the SDK Client over stdio from the spawned bridge process', async () => {
    const command = sourceBridgeCommand();
    const transport = new StdioClientTransport({
      command: command.command,
      args: command.args,
      env: { ...getDefaultEnvironment() }, // no goal: every call is denied, saying what is missing
      cwd: tempDir(),
      stderr: 'ignore',
    });
    const mcp = new Client({ name: 'conformance', version: '1' });
    await mcp.connect(transport);
    onCleanup(() => mcp.close());
    expect(mcp.getServerVersion()).toEqual({ name: MCP_SERVER_NAME, version: BRIDGE_VERSION });
    expect(await mcp.ping()).toEqual({});
    expect((await mcp.listTools()).tools.map((tool) => tool.name)).toEqual([PERMISSION_TOOL_NAME]);
    const answer = await mcp.callTool(
      { name: PERMISSION_TOOL_NAME, arguments: { tool_name: 'Write', input: { file_path: '/x' } } },
      CallToolResultSchema,
    );
    expect(JSON.stringify(answer.content)).toMatch(
      /denied: the permission bridge is misconfigured: OVERSEER_PERMISSION_SOCKET is missing/,
    );
  });
});

describe('bridge stdio transport', () => {
  it('reassembles lines split across reads, skips garbage and oversized lines, and keeps going', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new StdioLineTransport(input, output, { maxLineBytes: 64 });
    const messages: unknown[] = [];
    const errors: string[] = [];
    transport.onmessage = (message) => messages.push(message);
    transport.onerror = (error) => errors.push(error.message);
    await transport.start();
    input.write('{"jsonrpc":"2.0",');
    input.write('"id":1,"method":"ping"}\n{not json}\n');
    input.write(`{"pad":"${'x'.repeat(100)}`);
    input.write(`${'y'.repeat(10)}"}\r\n{"jsonrpc":"2.0","id":2,"method":"ping"}\r\n`);
    await waitFor(() => messages.length === 2);
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
    ]);
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/over 64 bytes/);
    await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
    expect(String(output.read())).toBe('{"jsonrpc":"2.0","id":1,"result":{}}\n');
    await transport.close();
  });

  it('answers a request with a malformed envelope as an invalid request, and ignores responses', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const server = new BridgeMcpServer(() => Promise.resolve(ALLOW));
    await server.connect(new StdioLineTransport(input, output, { maxLineBytes: 1024 }));
    onCleanup(() => server.close());
    const lines: string[] = [];
    output.on('data', (chunk: Buffer) =>
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line !== ''),
      ),
    );
    input.write(
      '{"jsonrpc":"2.0","id":7,"result":{}}\n{"jsonrpc":"1.0","id":3,"method":"ping"}\n{"id":4,"method":"ping","jsonrpc":"2.0","params":5}\n',
    );
    await waitFor(() => lines.length === 1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      jsonrpc: '2.0',
      id: 4,
      error: { code: -32600, message: 'Invalid Request' },
    });
  });
});
