// What of a raw Claude Code stream-json line goes into full-text search: the text of text and
// thinking blocks, tool calls (name and the string values of their input), tool results and
// plain user prompts. System lines, result lines (a repeat of the last text) and JSON syntax do not.
import { z } from 'zod';

const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
const ThinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string() });
const ToolUseBlock = z.object({ type: z.literal('tool_use'), name: z.string(), input: z.unknown() });
const ToolResultBlock = z.object({
  type: z.literal('tool_result'),
  content: z.union([z.string(), z.array(z.unknown())]).optional(),
});

const MessageLine = z.object({
  type: z.enum(['assistant', 'user']),
  message: z.object({ content: z.union([z.string(), z.array(z.unknown())]) }),
});

/** Keeps search rows small: a tool result of a megabyte is not worth indexing whole. */
const MAX_TEXT_CHARS = 64 * 1024;

function stringLeaves(value: unknown, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) stringLeaves(item, out, depth + 1);
  }
}

function blockText(block: unknown, out: string[]): void {
  const text = TextBlock.safeParse(block);
  if (text.success) {
    out.push(text.data.text);
    return;
  }
  const thinking = ThinkingBlock.safeParse(block);
  if (thinking.success) {
    out.push(thinking.data.thinking);
    return;
  }
  const toolUse = ToolUseBlock.safeParse(block);
  if (toolUse.success) {
    out.push(toolUse.data.name);
    stringLeaves(toolUse.data.input, out);
    return;
  }
  const toolResult = ToolResultBlock.safeParse(block);
  if (toolResult.success) {
    const content = toolResult.data.content;
    if (typeof content === 'string') out.push(content);
    else if (content !== undefined) for (const inner of content) blockText(inner, out);
  }
}

/** The searchable text of one raw transcript line ('' when it has none or is not JSON). */
export function searchableText(rawLine: string): string {
  let json: unknown;
  try {
    json = JSON.parse(rawLine);
  } catch {
    return '';
  }
  const line = MessageLine.safeParse(json);
  if (!line.success) return '';
  const parts: string[] = [];
  const content = line.data.message.content;
  if (typeof content === 'string') parts.push(content);
  else for (const block of content) blockText(block, parts);
  const text = parts
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('\n');
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}
