// The MCP face of the bridge: a stdio MCP server named `overseer` with one tool, `permission_prompt`,
// which Claude Code calls (`--permission-prompt-tool mcp__overseer__permission_prompt`) with
// {tool_name, input, tool_use_id}. It answers exactly what the CLI requires: allow →
// {"behavior":"allow","updatedInput":{...}} (always present), deny → {"behavior":"deny","message":"..."}
// (+ "interrupt": true to stop the turn), as the JSON text of a single text block. No outputSchema and
// no structuredContent: Claude Code 2.1.197 rejects a result carrying structuredContent ("Permission
// prompt tool returned an invalid result. Expected a single text block ..."), and MCP requires
// structuredContent whenever an outputSchema is declared (a strict one also made Claude drop the tool,
// driver-spec §14 item 2).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { PermissionDecision } from '../../shared/domain/permission.js';
import type { ToolCall } from './frames.js';
import { BRIDGE_SERVER_NAME, PERMISSION_TOOL } from './names.js';

export const BRIDGE_VERSION = '1.0.0';

const PermissionPromptArgumentsSchema = z.object({
  tool_name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  tool_use_id: z.string().optional(),
});

/** The JSON Claude Code reads from the tool's text content. */
export type PermissionPromptAnswer =
  | { behavior: 'allow'; updatedInput: Record<string, unknown> }
  | { behavior: 'deny'; message: string; interrupt?: true };

export function answerFor(decision: PermissionDecision): PermissionPromptAnswer {
  if (decision.behavior === 'allow') return { behavior: 'allow', updatedInput: decision.updatedInput };
  return decision.interrupt
    ? { behavior: 'deny', message: decision.message, interrupt: true }
    : { behavior: 'deny', message: decision.message };
}

export type BridgeDecider = (call: ToolCall, signal: AbortSignal) => Promise<PermissionDecision>;

const TOOL_DEFINITION = {
  name: PERMISSION_TOOL,
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

/** A stdio-ready MCP server whose one tool asks `decide`. Connect it to a transport to serve. */
export function createBridgeMcpServer(decide: BridgeDecider): Server {
  const server = new Server(
    { name: BRIDGE_SERVER_NAME, version: BRIDGE_VERSION },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [TOOL_DEFINITION] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    if (request.params.name !== PERMISSION_TOOL) {
      throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}`);
    }
    const args = PermissionPromptArgumentsSchema.safeParse(request.params.arguments ?? {});
    if (!args.success) {
      throw new McpError(ErrorCode.InvalidParams, `invalid arguments: ${args.error.message}`);
    }
    const decision = await decide(
      { toolName: args.data.tool_name, input: args.data.input, toolUseId: args.data.tool_use_id ?? '' },
      extra.signal,
    );
    const answer = answerFor(decision);
    return {
      content: [{ type: 'text', text: JSON.stringify(answer) }],
      isError: false,
    };
  });
  return server;
}
