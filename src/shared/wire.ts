// The browser-mode WebSocket protocol: frames between the `api` client and the host's server.
// Payloads inside frames are validated again against the contract by channel.
import { z } from 'zod';
import { CommandErrorSchema } from './contract.js';

export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: z.number().int().nonnegative(), channel: z.string(), payload: z.unknown() }),
  /** Sent after (re)connecting: deliver every event with seq > afterSeq, then live ones. */
  z.object({ type: z.literal('subscribe'), afterSeq: z.number().int().min(-1) }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  /** The answer to `invoke` #id: `ok` with `value`, or not `ok` with `error` (checked again by parseInvokeResult). */
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    ok: z.boolean(),
    value: z.unknown().optional(),
    error: CommandErrorSchema.optional(),
  }),
  z.object({ type: z.literal('event'), seq: z.number().int().nonnegative(), channel: z.string(), payload: z.unknown() }),
  /** A frame the server could not read at all (not JSON, no id): it says so and keeps the connection. */
  z.object({ type: z.literal('error'), error: CommandErrorSchema }),
  z.object({ type: z.literal('hello'), latestSeq: z.number().int().min(-1), hostId: z.string() }),
  /** Events the client asked for are no longer kept: it must reload its state from queries. */
  z.object({ type: z.literal('resync'), latestSeq: z.number().int().min(-1) }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
