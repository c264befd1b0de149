// Claude Code `--output-format stream-json` lines (one JSON object per line): zod schemas for the line types
// the driver reads (system, assistant, user, result), tolerant of unknown types and fields, and their
// normalization into TranscriptEntry values for the timeline.
import { z } from 'zod';
import type { TranscriptEntry } from '../../shared/domain/transcript.js';

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string().default('') });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().default(''),
  name: z.string(),
  input: z.unknown(),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().default(''),
  content: z
    .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()])
    .optional(),
  is_error: z.boolean().nullable().optional(),
});
const contentBlock = z.union([
  textBlock,
  thinkingBlock,
  toolUseBlock,
  toolResultBlock,
  z.looseObject({ type: z.string() }),
]);
export type ContentBlock = z.infer<typeof contentBlock>;

const sessionId = z.string().optional();

const usageSchema = z.looseObject({
  input_tokens: z.number().nonnegative().default(0),
  output_tokens: z.number().nonnegative().default(0),
  cache_creation_input_tokens: z.number().nonnegative().nullable().default(0),
  cache_read_input_tokens: z.number().nonnegative().nullable().default(0),
});

/** Per-model usage of a run (`modelUsage` on the result line): the context window of each model used. */
const modelUsageEntrySchema = z.looseObject({
  inputTokens: z.number().nonnegative().default(0),
  cacheReadInputTokens: z.number().nonnegative().default(0),
  cacheCreationInputTokens: z.number().nonnegative().default(0),
  contextWindow: z.number().int().positive().optional(),
});

export const SystemLineSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.string().default(''),
  session_id: sessionId,
  cwd: z.string().optional(),
  model: z.string().optional(),
  mcp_servers: z.array(z.looseObject({ name: z.string(), status: z.string().optional() })).optional(),
  // api_retry
  attempt: z.number().optional(),
  max_retries: z.number().optional(),
  error_status: z.number().nullable().optional(),
  error: z.string().nullable().optional(),
  // status / compact_boundary
  status: z.string().nullable().optional(),
  compact_metadata: z.looseObject({ pre_tokens: z.number().optional(), post_tokens: z.number().optional() }).optional(),
});

export const AssistantLineSchema = z.looseObject({
  type: z.literal('assistant'),
  session_id: sessionId,
  message: z.looseObject({
    id: z.string().optional(),
    content: z.array(contentBlock).default([]),
    usage: usageSchema.optional(),
  }),
});

export const UserLineSchema = z.looseObject({
  type: z.literal('user'),
  session_id: sessionId,
  isReplay: z.boolean().optional(),
  message: z.looseObject({ content: z.union([z.string(), z.array(contentBlock)]).default([]) }),
});

export const ResultLineSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  session_id: sessionId,
  is_error: z.boolean().default(false),
  result: z.string().nullable().optional(),
  total_cost_usd: z.number().nonnegative().nullable().optional(),
  usage: usageSchema.optional(),
  num_turns: z.number().optional(),
  errors: z.array(z.string()).optional(),
  message: z.string().nullable().optional(),
  permission_denials: z.array(z.unknown()).default([]),
  terminal_reason: z.string().nullable().optional(),
  api_error_status: z.number().nullable().optional(),
  // An unreadable modelUsage must not cost us the result line: it is only read for context pressure.
  modelUsage: z.record(z.string(), modelUsageEntrySchema).optional().catch(undefined),
});

export type SystemLine = z.infer<typeof SystemLineSchema>;
export type AssistantLine = z.infer<typeof AssistantLineSchema>;
export type UserLine = z.infer<typeof UserLineSchema>;
export type ResultLine = z.infer<typeof ResultLineSchema>;

export type StreamLine =
  | { kind: 'system'; line: SystemLine }
  | { kind: 'assistant'; line: AssistantLine }
  | { kind: 'user'; line: UserLine }
  | { kind: 'result'; line: ResultLine }
  /** Valid JSON of a type we do not read (stream_event, rate_limit_event, ...), or a known type we could not read. */
  | { kind: 'other'; type: string; sessionId: string | null }
  | { kind: 'invalid'; error: string };

const envelope = z.looseObject({ type: z.string(), session_id: z.string().optional() });

/** Parses one stdout line. Never throws. */
export function parseStreamLine(raw: string): StreamLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { kind: 'invalid', error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const head = envelope.safeParse(json);
  if (!head.success) return { kind: 'invalid', error: 'not an object with a string "type"' };
  const other: StreamLine = { kind: 'other', type: head.data.type, sessionId: head.data.session_id ?? null };
  switch (head.data.type) {
    case 'system': {
      const parsed = SystemLineSchema.safeParse(json);
      return parsed.success ? { kind: 'system', line: parsed.data } : other;
    }
    case 'assistant': {
      const parsed = AssistantLineSchema.safeParse(json);
      return parsed.success ? { kind: 'assistant', line: parsed.data } : other;
    }
    case 'user': {
      const parsed = UserLineSchema.safeParse(json);
      return parsed.success ? { kind: 'user', line: parsed.data } : other;
    }
    case 'result': {
      const parsed = ResultLineSchema.safeParse(json);
      return parsed.success ? { kind: 'result', line: parsed.data } : other;
    }
    default:
      return other;
  }
}

/** The session id a line carries, if any. */
export function sessionIdOf(parsed: StreamLine): string | null {
  switch (parsed.kind) {
    case 'invalid':
      return null;
    case 'other':
      return parsed.sessionId;
    default:
      return parsed.line.session_id ?? null;
  }
}

/** Tokens a result line counts for the budget: input + output + cache_read (cache_creation excluded). */
export function resultTokens(line: ResultLine): number {
  const usage = line.usage;
  if (usage === undefined) return 0;
  return Math.round(usage.input_tokens + usage.output_tokens + (usage.cache_read_input_tokens ?? 0));
}

/**
 * The context window of the run's main model, from `modelUsage[model].contextWindow`: the model that
 * read the most input (side requests may use a smaller model). null when the CLI did not say.
 */
export function resultContextWindow(line: ResultLine): number | null {
  let best: { read: number; window: number } | null = null;
  for (const entry of Object.values(line.modelUsage ?? {})) {
    if (entry.contextWindow === undefined) continue;
    const read = entry.inputTokens + entry.cacheReadInputTokens + entry.cacheCreationInputTokens;
    if (best === null || read > best.read) best = { read, window: entry.contextWindow };
  }
  return best?.window ?? null;
}

type LineUsage = z.infer<typeof usageSchema>;

/** Tokens in the model's context for one request: everything it read plus what it wrote. */
export function contextTokensOf(usage: LineUsage): number {
  return Math.round(
    usage.input_tokens +
      (usage.cache_creation_input_tokens ?? 0) +
      (usage.cache_read_input_tokens ?? 0) +
      usage.output_tokens,
  );
}

/** The error text of a failed result line: errors[], message, result text, terminal reason, in that order. */
export function resultErrorText(line: ResultLine): string {
  if (line.errors !== undefined && line.errors.length > 0) return line.errors.join('; ');
  if (typeof line.message === 'string' && line.message !== '') return line.message;
  if (typeof line.result === 'string' && line.result !== '') return line.result;
  return line.terminal_reason ?? '';
}

export const TOOL_RESULT_PREVIEW_CHARS = 4000;
const USER_TEXT_PREVIEW_CHARS = 4000;

function toolResultText(content: z.infer<typeof toolResultBlock>['content']): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content.map((part) => (typeof part.text === 'string' ? part.text : `[${part.type}]`)).join('\n');
}

function blockEntries(block: ContentBlock, fromUser: boolean): TranscriptEntry[] {
  const text = textBlock.safeParse(block);
  if (text.success) {
    if (!fromUser) return [{ type: 'text', text: text.data.text }];
    return [
      {
        type: 'system',
        subtype: 'user_message',
        sessionId: null,
        detail: text.data.text.slice(0, USER_TEXT_PREVIEW_CHARS),
      },
    ];
  }
  const thinking = thinkingBlock.safeParse(block);
  if (thinking.success) return [{ type: 'thinking', text: thinking.data.thinking }];
  const toolUse = toolUseBlock.safeParse(block);
  if (toolUse.success)
    return [{ type: 'tool_use', toolUseId: toolUse.data.id, name: toolUse.data.name, input: toolUse.data.input }];
  const toolResult = toolResultBlock.safeParse(block);
  if (toolResult.success) {
    const full = toolResultText(toolResult.data.content);
    const truncated = full.length > TOOL_RESULT_PREVIEW_CHARS;
    return [
      {
        type: 'tool_result',
        toolUseId: toolResult.data.tool_use_id,
        content: truncated ? full.slice(0, TOOL_RESULT_PREVIEW_CHARS) : full,
        isError: toolResult.data.is_error === true,
        truncated,
      },
    ];
  }
  return [];
}

function systemDetail(line: SystemLine): string {
  switch (line.subtype) {
    case 'init': {
      const servers = (line.mcp_servers ?? []).map((server) => `${server.name}(${server.status ?? '?'})`).join(', ');
      return [
        line.model !== undefined ? `model ${line.model}` : null,
        line.cwd !== undefined ? `cwd ${line.cwd}` : null,
        servers !== '' ? `mcp ${servers}` : null,
      ]
        .filter((part): part is string => part !== null)
        .join('; ');
    }
    case 'api_retry':
      return `API retry ${line.attempt ?? '?'}/${line.max_retries ?? '?'}: ${line.error ?? 'error'}${line.error_status !== undefined && line.error_status !== null ? ` (${line.error_status})` : ''}`;
    case 'compact_boundary': {
      const meta = line.compact_metadata;
      return meta !== undefined
        ? `compacted ${meta.pre_tokens ?? '?'} → ${meta.post_tokens ?? '?'} tokens`
        : 'compacted';
    }
    case 'status':
      return line.status ?? '';
    default:
      return '';
  }
}

/** The timeline entries of one parsed line (none for lines the UI does not show). */
export function normalizeLine(parsed: StreamLine): TranscriptEntry[] {
  switch (parsed.kind) {
    case 'system':
      return [
        {
          type: 'system',
          subtype: parsed.line.subtype,
          sessionId: parsed.line.session_id ?? null,
          detail: systemDetail(parsed.line),
        },
      ];
    case 'assistant':
      return parsed.line.message.content.flatMap((block) => blockEntries(block, false));
    case 'user': {
      if (parsed.line.isReplay === true) return [];
      const content = parsed.line.message.content;
      if (typeof content === 'string') {
        return [
          {
            type: 'system',
            subtype: 'user_message',
            sessionId: parsed.line.session_id ?? null,
            detail: content.slice(0, USER_TEXT_PREVIEW_CHARS),
          },
        ];
      }
      return content.flatMap((block) => blockEntries(block, true));
    }
    case 'result': {
      const line = parsed.line;
      const failed = line.is_error || line.subtype !== 'success';
      return [
        {
          type: 'result',
          subtype: line.subtype,
          isError: line.is_error,
          text: failed ? resultErrorText(line) : (line.result ?? null),
          costUsd: line.total_cost_usd ?? null,
        },
      ];
    }
    default:
      return [];
  }
}
