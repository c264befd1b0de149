// Transcript entries: one turn's stream-json output from Claude Code, normalized for the timeline.
// The raw lines are stored as they came; these are what the UI renders.
import { z } from 'zod';

export const TranscriptEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('thinking'), text: z.string() }),
  z.object({
    type: z.literal('tool_use'),
    toolUseId: z.string(),
    name: z.string(),
    input: z.unknown(),
  }),
  z.object({
    type: z.literal('tool_result'),
    toolUseId: z.string(),
    /** The result text, cut to a preview when long (see `truncated`). */
    content: z.string(),
    isError: z.boolean(),
    truncated: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('system'),
    subtype: z.string(),
    sessionId: z.string().nullable(),
    detail: z.string().default(''),
  }),
  z.object({
    type: z.literal('result'),
    subtype: z.string(),
    isError: z.boolean(),
    text: z.string().nullable(),
    costUsd: z.number().nullable(),
  }),
]);
export type TranscriptEntry = z.infer<typeof TranscriptEntrySchema>;
