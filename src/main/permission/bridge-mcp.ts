// The MCP face of the bridge: a minimal MCP server named `overseer` with one tool,
// `permission_prompt`, which Claude Code calls (`--permission-prompt-tool mcp__overseer__permission_prompt`)
// with {tool_name, input, tool_use_id}. It answers exactly what the CLI requires: allow →
// {"behavior":"allow","updatedInput":{...}} (always present), deny → {"behavior":"deny","message":"..."}
// (+ "interrupt": true to stop the turn), as the JSON text of a single text block. No outputSchema and
// no structuredContent: Claude Code 2.1.197 rejects a result carrying structuredContent ("Permission
// prompt tool returned an invalid result. Expected a single text block ..."), and MCP requires
// structuredContent whenever an outputSchema is declared (a strict one also made Claude drop the tool).
//
// Why not the SDK's Server: Claude Code starts the bridge once per turn and waits for its answer to
// `initialize`; loading the SDK and zod made that ~4× a bare Node start (bench/bridge-start). This
// module serves the few methods the bridge needs (initialize, ping, tools/list, tools/call, and the
// cancelled notification) with no runtime imports, over any transport with the SDK's Transport shape;
// tests/unit/permission/bridge-conformance.test.ts drives it with the SDK's own Client to keep it
// honest. Tool-call arguments are still parsed with zod, loaded on the first call (bridge-arguments.ts).
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { PermissionDecision } from '../../shared/domain/permission.js';
import { bridgeDeny } from './bridge-deny.js';
import { Cancellation, type CancelSignal } from './cancel-signal.js';
import type { ToolCall } from './frames.js';
import { MCP_SERVER_NAME, PERMISSION_TOOL_NAME } from '../driver/mcp-config.js';
import { answerFor } from '../driver/permission-answer.js';

export const BRIDGE_VERSION = '1.0.0';

/** MCP protocol versions the bridge speaks, newest first (the SDK's list; the conformance test checks). */
export const BRIDGE_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/** JSON-RPC error codes the bridge answers with. */
export const RpcErrorCode = {
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;

export type BridgeDecider = (call: ToolCall, signal: CancelSignal) => Promise<PermissionDecision>;

const TOOL_DEFINITION = {
  name: PERMISSION_TOOL_NAME,
  description: 'Ask the Overseer operator (or its rules) whether Claude may make the proposed tool call.',
  inputSchema: {
    type: 'object' as const,
    properties: {
      tool_name: { type: 'string', description: 'The tool Claude wants to use.' },
      input: { type: 'object', description: 'The input Claude wants to call it with.' },
      tool_use_id: { type: 'string', description: 'The id of the tool_use block.' },
    },
    required: ['tool_name', 'input'],
  },
};

type RequestId = string | number;

/**
 * The transport shape the server needs: the SDK's Transport (e.g. its InMemoryTransport in tests) or
 * our StdioLineTransport. `onmessage` takes `never` so both fit: the server installs a handler that
 * accepts anything (`unknown`) and reads the envelope itself.
 */
export interface BridgeTransport {
  start(): Promise<void>;
  send(message: JSONRPCMessage): Promise<void>;
  close(): Promise<void>;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: never) => void) | undefined;
}

/** What one incoming JSON-RPC message is, read without trusting its shape. */
type Incoming =
  | { kind: 'request'; id: RequestId; method: string; params: Record<string, unknown> }
  | { kind: 'notification'; method: string; params: Record<string, unknown> }
  | { kind: 'response' }
  | { kind: 'invalid'; id: RequestId | null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

/** Reads the JSON-RPC envelope (zod-free on purpose: it runs before zod is loaded). */
export function readIncoming(message: unknown): Incoming {
  if (!isRecord(message) || message['jsonrpc'] !== '2.0') return { kind: 'invalid', id: null };
  const id = message['id'];
  const method = message['method'];
  const params = message['params'] ?? {};
  if (typeof method !== 'string') {
    return 'result' in message || 'error' in message
      ? { kind: 'response' }
      : { kind: 'invalid', id: isRequestId(id) ? id : null };
  }
  if (!isRecord(params)) return { kind: 'invalid', id: isRequestId(id) ? id : null };
  if (id === undefined) return { kind: 'notification', method, params };
  if (!isRequestId(id)) return { kind: 'invalid', id: null };
  return { kind: 'request', id, method, params };
}

type ArgumentParsers = typeof import('./bridge-arguments.js');

/** bridge-arguments.ts (zod), loaded once: a dynamic import per call costs a loader round trip each time. */
let argumentParsers: ArgumentParsers | null = null;

async function loadArgumentParsers(): Promise<ArgumentParsers> {
  argumentParsers = await import('./bridge-arguments.js');
  return argumentParsers;
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface BridgeMcpServerOptions {
  /** Called once the `initialize` answer has been sent (the bridge warms up what tool calls need). */
  onInitializeAnswered?: () => void;
}

/** A stdio-ready MCP server whose one tool asks `decide`. Connect it to a transport to serve. */
export class BridgeMcpServer {
  private transport: BridgeTransport | null = null;
  private readonly inflight = new Map<RequestId, Cancellation>();

  constructor(
    private readonly decide: BridgeDecider,
    private readonly options: BridgeMcpServerOptions = {},
  ) {}

  async connect(transport: BridgeTransport): Promise<void> {
    this.transport = transport;
    transport.onmessage = (message: unknown) => this.onMessage(message);
    transport.onclose = () => this.abortAll();
    await transport.start();
  }

  async close(): Promise<void> {
    this.abortAll();
    const transport = this.transport;
    this.transport = null;
    await transport?.close();
  }

  private abortAll(): void {
    for (const controller of this.inflight.values()) controller.abort();
    this.inflight.clear();
  }

  private send(message: JSONRPCMessage): void {
    this.transport
      ?.send(message)
      .catch((error: unknown) => this.transport?.onerror?.(error instanceof Error ? error : new Error(String(error))));
  }

  private onMessage(raw: unknown): void {
    const message = readIncoming(raw);
    switch (message.kind) {
      case 'response':
        return; // the bridge sends no requests
      case 'invalid':
        if (message.id !== null) this.sendError(message.id, RpcErrorCode.InvalidRequest, 'Invalid Request');
        return;
      case 'notification':
        if (message.method === 'notifications/cancelled') {
          const requestId = message.params['requestId'];
          if (isRequestId(requestId)) this.inflight.get(requestId)?.abort();
        }
        return;
      case 'request':
        this.onRequest(message.id, message.method, message.params);
        return;
    }
  }

  private onRequest(id: RequestId, method: string, params: Record<string, unknown>): void {
    switch (method) {
      case 'initialize': {
        const requested = params['protocolVersion'];
        const protocolVersion =
          typeof requested === 'string' && BRIDGE_PROTOCOL_VERSIONS.includes(requested)
            ? requested
            : BRIDGE_PROTOCOL_VERSIONS[0];
        this.sendResult(id, {
          protocolVersion,
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: MCP_SERVER_NAME, version: BRIDGE_VERSION },
        });
        // Warm what tool calls need while Claude is still starting up.
        setImmediate(() => void loadArgumentParsers().catch(() => undefined));
        this.options.onInitializeAnswered?.();
        return;
      }
      case 'ping':
        this.sendResult(id, {});
        return;
      case 'tools/list':
        this.sendResult(id, { tools: [TOOL_DEFINITION] });
        return;
      case 'tools/call':
        void this.callTool(id, params);
        return;
      default:
        this.sendError(id, RpcErrorCode.MethodNotFound, 'Method not found');
    }
  }

  private async callTool(id: RequestId, params: Record<string, unknown>): Promise<void> {
    const controller = new Cancellation();
    this.inflight.set(id, controller);
    try {
      const text = JSON.stringify(answerFor(await this.decideOn(params, controller.signal)));
      // A cancelled request gets no answer (MCP: the client has stopped waiting for it).
      if (!controller.signal.aborted) this.sendResult(id, { content: [{ type: 'text', text }], isError: false });
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof RpcError) this.sendError(id, error.code, error.message);
      else this.sendError(id, RpcErrorCode.InternalError, error instanceof Error ? error.message : String(error));
    } finally {
      this.inflight.delete(id);
    }
  }

  private async decideOn(params: Record<string, unknown>, signal: CancelSignal): Promise<PermissionDecision> {
    const { parseCallToolParams, parsePermissionPromptArguments } = argumentParsers ?? (await loadArgumentParsers());
    const call = parseCallToolParams(params);
    if (!call.ok) throw new RpcError(RpcErrorCode.InvalidParams, call.message);
    if (call.name !== PERMISSION_TOOL_NAME) throw new RpcError(RpcErrorCode.InvalidParams, `unknown tool ${call.name}`);
    const args = parsePermissionPromptArguments(call.arguments);
    if (!args.ok) throw new RpcError(RpcErrorCode.InvalidParams, `invalid arguments: ${args.message}`);
    try {
      return await this.decide(args.call, signal);
    } catch (error) {
      // Fail closed: whatever went wrong on our side, the tool call is denied, saying why.
      return bridgeDeny(error instanceof Error ? error.message : String(error));
    }
  }

  private sendResult(id: RequestId, result: Record<string, unknown>): void {
    this.send({ jsonrpc: '2.0', id, result });
  }

  private sendError(id: RequestId, code: number, message: string): void {
    this.send({ jsonrpc: '2.0', id, error: { code, message } });
  }
}

/** A server whose one tool asks `decide`; kept as the module's constructor function. */
export function createBridgeMcpServer(decide: BridgeDecider, options: BridgeMcpServerOptions = {}): BridgeMcpServer {
  return new BridgeMcpServer(decide, options);
}
