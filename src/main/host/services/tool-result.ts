// Lazy loading of long tool results: finds one tool call's full result in a turn's stored
// stream-json transcript (the timeline carries only a preview).
import { z } from 'zod';

const ToolResultLineSchema = z.object({
  type: z.literal('user'),
  message: z.object({
    content: z.array(z.unknown()),
  }),
});
const ToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough())])
    .optional(),
  is_error: z.boolean().optional(),
});

/** Finds a tool result's full text in a turn's raw stream-json lines. */
export function findToolResult(lines: string[], toolUseId: string): { content: string; isError: boolean } | null {
  for (const raw of lines) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const line = ToolResultLineSchema.safeParse(json);
    if (!line.success) continue;
    for (const block of line.data.message.content) {
      const parsed = ToolResultBlockSchema.safeParse(block);
      if (!parsed.success || parsed.data.tool_use_id !== toolUseId) continue;
      const content = parsed.data.content;
      const text = typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('\n');
      return { content: text, isError: parsed.data.is_error ?? false };
    }
  }
  return null;
}
