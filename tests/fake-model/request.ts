// Parsing of Anthropic Messages API request bodies sent by the Claude Code CLI to the fake model,
// and extraction of the script context (last user text, tool results, whole user history).
// Parsing is permissive: unknown fields pass through, only the fields the fake model reads are typed.
import { z } from 'zod';

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  is_error: z.boolean().optional(),
});

const contentBlockSchema = z.looseObject({ type: z.string() });

export const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

export const messagesRequestBodySchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(messageSchema).default([]),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]).optional(),
  tools: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  stream: z.boolean().optional(),
  max_tokens: z.number().optional(),
});

export type MessagesRequestBody = z.infer<typeof messagesRequestBodySchema>;
export type RequestMessage = z.infer<typeof messageSchema>;

export interface FakeToolResult {
  toolUseId: string;
  content: string;
  isError: boolean;
}

export interface FakeRequestContext {
  /** 0-based count of main-loop requests (those with a `tools` array) served so far. */
  index: number;
  /** Parsed request body (messages, system, tools, model; unknown fields kept). */
  body: MessagesRequestBody;
  /** All text blocks of the last user message joined with "\n" (includes CLI-injected system reminders). */
  lastUserText: string;
  /** tool_result blocks of the last user message. */
  lastToolResults: FakeToolResult[];
  /** Every user text block of the whole request joined with "\n" (history included). */
  allUserText: string;
}

/** Text blocks of a message's content ("" for none). A string content is one text block. */
export function messageTexts(message: RequestMessage): string[] {
  if (typeof message.content === 'string') return [message.content];
  const texts: string[] = [];
  for (const block of message.content) {
    const text = textBlockSchema.safeParse(block);
    if (text.success) texts.push(text.data.text);
  }
  return texts;
}

function toolResultText(content: z.infer<typeof toolResultBlockSchema>['content']): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const block of content) {
    const text = textBlockSchema.safeParse(block);
    if (text.success) texts.push(text.data.text);
  }
  return texts.join('\n');
}

export function messageToolResults(message: RequestMessage): FakeToolResult[] {
  if (typeof message.content === 'string') return [];
  const results: FakeToolResult[] = [];
  for (const block of message.content) {
    const result = toolResultBlockSchema.safeParse(block);
    if (!result.success) continue;
    results.push({
      toolUseId: result.data.tool_use_id,
      content: toolResultText(result.data.content),
      isError: result.data.is_error ?? false,
    });
  }
  return results;
}

/** Text of the system prompt (string or text blocks joined with "\n"). */
export function systemText(body: MessagesRequestBody): string {
  if (body.system === undefined) return '';
  if (typeof body.system === 'string') return body.system;
  return body.system.map((block) => block.text ?? '').join('\n');
}

export function buildContext(index: number, body: MessagesRequestBody): FakeRequestContext {
  const userMessages = body.messages.filter((message) => message.role === 'user');
  const lastUser = userMessages[userMessages.length - 1];
  return {
    index,
    body,
    lastUserText: lastUser === undefined ? '' : messageTexts(lastUser).join('\n'),
    lastToolResults: lastUser === undefined ? [] : messageToolResults(lastUser),
    allUserText: userMessages.flatMap(messageTexts).join('\n'),
  };
}

/** A main-loop request carries a `tools` array; side requests (titles, summaries...) have none. */
export function isMainLoopRequest(body: MessagesRequestBody): boolean {
  return Array.isArray(body.tools);
}
