// Turning a scripted fake-model reply into what the Anthropic Messages API would send back:
// an assistant message (for non-streaming requests) or the SSE event sequence (for streaming ones).
import { randomBytes } from 'node:crypto';

export interface FakeToolUse {
  name: string;
  input: Record<string, unknown>;
  /** Defaults to a unique `toolu_...` id. */
  id?: string;
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
}

/** Optional extras every reply may carry. */
export interface FakeReplyExtras {
  /** Wait this long before answering (e.g. to interrupt a turn while the model "thinks"). */
  delayMs?: number;
  /** Override the usage numbers reported for this reply. */
  usage?: Partial<FakeUsage>;
}

export type FakeReply =
  | ({ text?: string; toolUses?: FakeToolUse[]; thinking?: string } & FakeReplyExtras) // tool_use if toolUses non-empty else end_turn
  | ({ httpError: { status: number; type: string; message: string } } & FakeReplyExtras);

export type FakeContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface FakeAssistantMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: FakeContentBlock[];
  stop_reason: 'tool_use' | 'end_turn';
  stop_sequence: null;
  usage: FakeUsage & { cache_creation_input_tokens: number; cache_read_input_tokens: number };
}

function randomId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

export function newToolUseId(): string {
  return randomId('toolu_');
}

/** Deterministic, realistic-looking input token count: a few hundred, growing with the history. */
export function estimateInputTokens(messageCount: number): number {
  return 300 + 25 * messageCount;
}

function estimateOutputTokens(content: FakeContentBlock[]): number {
  let chars = 0;
  for (const block of content) {
    if (block.type === 'text') chars += block.text.length;
    else if (block.type === 'thinking') chars += block.thinking.length;
    else chars += 40 + JSON.stringify(block.input).length;
  }
  return 10 + Math.ceil(chars / 4);
}

export function buildAssistantMessage(
  reply: { text?: string; toolUses?: FakeToolUse[]; thinking?: string; usage?: Partial<FakeUsage> },
  model: string,
  messageCount: number,
): FakeAssistantMessage {
  const content: FakeContentBlock[] = [];
  if (reply.thinking !== undefined)
    content.push({ type: 'thinking', thinking: reply.thinking, signature: randomId('sig_') });
  if (reply.text !== undefined && reply.text !== '') content.push({ type: 'text', text: reply.text });
  for (const toolUse of reply.toolUses ?? []) {
    content.push({ type: 'tool_use', id: toolUse.id ?? newToolUseId(), name: toolUse.name, input: toolUse.input });
  }
  const hasToolUse = content.some((block) => block.type === 'tool_use');
  return {
    id: randomId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: hasToolUse ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.input_tokens ?? estimateInputTokens(messageCount),
      output_tokens: reply.usage?.output_tokens ?? estimateOutputTokens(content),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

/** Splits a string into up to `parts` non-empty chunks (at least one, possibly empty). */
function chunks(value: string, parts: number): string[] {
  if (value.length === 0) return [''];
  const size = Math.max(1, Math.ceil(value.length / parts));
  const out: string[] = [];
  for (let start = 0; start < value.length; start += size) out.push(value.slice(start, start + size));
  return out;
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

/** The SSE events of a streamed answer carrying `message`. */
export function streamEvents(message: FakeAssistantMessage): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (data: SseEvent['data']): void => {
    events.push({ event: data.type, data });
  };
  push({
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
  });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const text of chunks(block.text, 2))
        push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    } else if (block.type === 'thinking') {
      push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const thinking of chunks(block.thinking, 2)) {
        push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } });
      }
      push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
    } else {
      push({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      for (const partial_json of chunks(JSON.stringify(block.input), 3)) {
        push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
      }
    }
    push({ type: 'content_block_stop', index });
  });
  push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  push({ type: 'message_stop' });
  return events;
}

export function formatSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
