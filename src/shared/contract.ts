// The contract between host and UI: every command (request + response) and every event channel,
// as zod schemas in one registry keyed by channel name. Types are inferred from it. Both
// transports (Electron IPC and the browser-mode WebSocket) carry exactly this.
import { z } from 'zod';
import { appCommands } from './commands/app.js';
import { goalCommands } from './commands/goals.js';
import { permissionCommands } from './commands/permissions.js';
import { settingsCommands } from './commands/settings.js';
import { landCommands } from './commands/land.js';
import { approvalCommands } from './commands/approval.js';
import { runnerCommands } from './commands/runners.js';
import { reviewCommands } from './commands/review.js';
import { LoggedEventSchema } from './domain/views.js';

/** Commands: channel → request and response schemas. */
export const commands = {
  ...appCommands,
  ...goalCommands,
  ...permissionCommands,
  ...settingsCommands,
  ...landCommands,
  ...approvalCommands,
  ...runnerCommands,
  ...reviewCommands,
} as const;

/** Events the host publishes: channel → payload schema. */
export const events = {
  'host.heartbeat': z.object({ at: z.string(), uptimeMs: z.number().int().nonnegative() }),
  /** Every driver event as the store logged it (logSeq orders the goal's timeline). */
  'goal.event': LoggedEventSchema,
} as const;

export type CommandChannel = keyof typeof commands;
export type CommandRequest<C extends CommandChannel> = z.input<(typeof commands)[C]['request']>;
export type CommandResponse<C extends CommandChannel> = z.infer<(typeof commands)[C]['response']>;
export type EventChannel = keyof typeof events;
export type EventPayload<C extends EventChannel> = z.infer<(typeof events)[C]>;

export function isCommandChannel(channel: string): channel is CommandChannel {
  return Object.prototype.hasOwnProperty.call(commands, channel);
}
export function isEventChannel(channel: string): channel is EventChannel {
  return Object.prototype.hasOwnProperty.call(events, channel);
}

/** An event as delivered: a host-wide sequence number, so a reconnecting client asks for what it missed. */
export type HostEvent = {
  [C in EventChannel]: { seq: number; channel: C; payload: EventPayload<C> };
}[EventChannel];

/** Error codes a command can fail with. */
export const ErrorCodeSchema = z.enum([
  'unknown_channel',
  'invalid_payload',
  'not_found',
  'conflict',
  'failed_precondition',
  'internal',
  'unauthorized',
  /** The host could not be reached (connection lost before an answer came). */
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const CommandErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  channel: z.string().nullable().default(null),
  /** For invalid_payload: where and what. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
});
export type CommandError = z.infer<typeof CommandErrorSchema>;

/** What `invoke` resolves to on either transport. */
export type InvokeResult<C extends CommandChannel> =
  { ok: true; value: CommandResponse<C> } | { ok: false; error: CommandError };

/** Parses an InvokeResult as received over a transport (untrusted): the envelope, then the value by channel. */
export function parseInvokeResult<C extends CommandChannel>(channel: C, raw: unknown): InvokeResult<C> {
  const envelope = z
    .discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: CommandErrorSchema }),
    ])
    .safeParse(raw);
  if (!envelope.success) {
    return { ok: false, error: { code: 'internal', message: `malformed answer on "${channel}"`, channel, issues: [] } };
  }
  if (!envelope.data.ok) return { ok: false, error: envelope.data.error };
  const value = commands[channel].response.safeParse(envelope.data.value);
  if (!value.success) {
    return {
      ok: false,
      error: { code: 'internal', message: `answer on "${channel}" does not match the contract`, channel, issues: [] },
    };
  }
  return { ok: true, value: value.data as CommandResponse<C> };
}

/** Parses an event as received over a transport (untrusted). Returns null when it does not match the contract. */
export function parseHostEvent(raw: unknown): HostEvent | null {
  const frame = z
    .object({ seq: z.number().int().nonnegative(), channel: z.string(), payload: z.unknown() })
    .safeParse(raw);
  if (!frame.success || !isEventChannel(frame.data.channel)) return null;
  const payload = events[frame.data.channel].safeParse(frame.data.payload);
  if (!payload.success) return null;
  return { seq: frame.data.seq, channel: frame.data.channel, payload: payload.data } as HostEvent;
}
