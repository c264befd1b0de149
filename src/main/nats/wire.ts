// The JSON that crosses NATS, as zod schemas (parsed on arrival, never cast): a runner's presence
// record in the KV bucket, an event message on the stream, and the command reply. A command's
// request body is the contract's own request payload for its channel; the reply is the same
// InvokeResult envelope the other transports carry. docs/nats.md publishes these as JSON Schema.
import { z } from 'zod';
import { LoggedEventSchema } from '../../shared/domain/views.js';
import { CommandErrorSchema } from '../../shared/contract.js';
import { RunnerAnnouncementSchema } from '../../shared/commands/runners.js';

/** The runner's presence record in the KV bucket: what it announces, plus liveness. */
export const RunnerPresenceSchema = RunnerAnnouncementSchema.extend({
  /** Changes every start: tells a restarted runner from the one before it. */
  instanceId: z.string(),
  startedAt: z.string(),
  /** The runner's clock when it wrote this record. */
  at: z.string(),
  /** How often the runner rewrites this record; a record older than a few periods means offline. */
  heartbeatMs: z.number().int().positive(),
  /** `stopped`: the runner said goodbye; `online`: it was alive at `at`. */
  state: z.enum(['online', 'stopped']),
  /**
   * The version of the NATS contract the runner speaks (contract-version.ts); absent from runners
   * built before it was announced, which speak the oldest.
   */
  contract: z.number().int().positive().optional(),
});
export type RunnerPresence = z.infer<typeof RunnerPresenceSchema>;

/** One driver event on the stream: the runner's event log entry and the runner that logged it. */
export const RunnerEventSchema = LoggedEventSchema.extend({ runner: z.string() });
export type RunnerEvent = z.infer<typeof RunnerEventSchema>;

/**
 * A stream message's body as an event of `runner`: null when it is not JSON, does not match the
 * schema, or names another runner in its body than the one its header names.
 */
export function runnerEventOf(message: { json(): unknown }, runner: string): RunnerEvent | null {
  let json: unknown;
  try {
    json = message.json();
  } catch {
    return null;
  }
  const parsed = RunnerEventSchema.safeParse(json);
  return parsed.success && parsed.data.runner === runner ? parsed.data : null;
}

/** The reply to a command request (the dispatcher's InvokeResult). */
export const CommandReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: CommandErrorSchema }),
]);

/** The payloads docs/nats.md documents, by name. */
export const NATS_PAYLOADS = {
  'runner presence (KV overseer_runners)': RunnerPresenceSchema,
  'event (stream OVERSEER_EVENTS)': RunnerEventSchema,
  'command reply': CommandReplySchema,
} as const;
