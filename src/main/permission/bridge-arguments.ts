// What the bridge reads from a `tools/call` request: the tool's name and Claude Code's permission
// prompt arguments {tool_name, input, tool_use_id}, parsed with zod. Loaded lazily by bridge-mcp.ts
// (after `initialize` is answered, or on the first call) so zod stays out of the bridge's start.
// The ordinary call is read in plain code first (the same result zod gives, checked by
// tests/unit/permission/frame-fast-path.test.ts); anything else goes through zod.
import { z } from 'zod';
import { isJsonObject, isPlainRecord } from './frame-fast-path.js';
import type { ToolCall } from './frames.js';

const CallToolParamsSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).optional(),
});

const PermissionPromptArgumentsSchema = z.object({
  tool_name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  tool_use_id: z.string().optional(),
});

export type Parsed<T> = ({ ok: true } & T) | { ok: false; message: string };

export function parseCallToolParams(params: unknown): Parsed<{ name: string; arguments: Record<string, unknown> }> {
  if (isJsonObject(params)) {
    const name = params['name'];
    const args = params['arguments'];
    if (typeof name === 'string' && (args === undefined || isPlainRecord(args))) {
      return { ok: true, name, arguments: args ?? {} };
    }
  }
  const parsed = CallToolParamsSchema.safeParse(params);
  if (!parsed.success) return { ok: false, message: `invalid tools/call params: ${parsed.error.message}` };
  return { ok: true, name: parsed.data.name, arguments: parsed.data.arguments ?? {} };
}

export function parsePermissionPromptArguments(args: Record<string, unknown>): Parsed<{ call: ToolCall }> {
  const toolName = args['tool_name'];
  const input = args['input'];
  const toolUseId = args['tool_use_id'];
  if (
    typeof toolName === 'string' &&
    toolName !== '' &&
    isPlainRecord(input) &&
    (toolUseId === undefined || typeof toolUseId === 'string')
  ) {
    return { ok: true, call: { toolName, input, toolUseId: toolUseId ?? '' } };
  }
  const parsed = PermissionPromptArgumentsSchema.safeParse(args);
  if (!parsed.success) return { ok: false, message: parsed.error.message };
  return {
    ok: true,
    call: { toolName: parsed.data.tool_name, input: parsed.data.input, toolUseId: parsed.data.tool_use_id ?? '' },
  };
}
