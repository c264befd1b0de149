// The browser-mode WebSocket protocol: frames between the `api` client and the host's server.
// Payloads inside frames are validated again against the contract by channel.
import { z } from 'zod';
import { CommandErrorSchema, type CommandError } from './contract.js';

export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('invoke'),
    id: z.number().int().nonnegative(),
    channel: z.string(),
    payload: z.unknown(),
  }),
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
  z.object({
    type: z.literal('event'),
    seq: z.number().int().nonnegative(),
    channel: z.string(),
    payload: z.unknown(),
  }),
  /** A frame the server could not read at all (not JSON, no id): it says so and keeps the connection. */
  z.object({ type: z.literal('error'), error: CommandErrorSchema }),
  z.object({ type: z.literal('hello'), latestSeq: z.number().int().min(-1), hostId: z.string() }),
  /** Events the client asked for are no longer kept: it must reload its state from queries. */
  z.object({ type: z.literal('resync'), latestSeq: z.number().int().min(-1) }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Largest client frame the server reads; a bigger one is answered with an error, unread. */
export const MAX_CLIENT_FRAME_BYTES = 1024 * 1024;
/** Error replies stay small whatever the input: at most this many issues, each this long. */
export const MAX_ERROR_ISSUES = 20;
export const MAX_ISSUE_TEXT = 300;
export const MAX_ERROR_MESSAGE = 2000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * zod issues as "field: message" pairs (the field a dotted path, "(root)" for the whole value),
 * capped: the first MAX_ERROR_ISSUES issues, each clipped, plus one line counting the rest.
 */
export function cappedIssues(issues: readonly IssueLike[]): { path: string; message: string }[] {
  const shown = issues.slice(0, MAX_ERROR_ISSUES).map((issue) => ({
    path: clip(
      issue.path.length === 0
        ? '(root)'
        : issue.path
            .slice(0, 20)
            .map((part) => String(part))
            .join('.'),
      MAX_ISSUE_TEXT,
    ),
    message: clip(issue.message, MAX_ISSUE_TEXT),
  }));
  if (issues.length > MAX_ERROR_ISSUES) {
    shown.push({ path: '(more)', message: `${issues.length - MAX_ERROR_ISSUES} more issues not shown` });
  }
  return shown;
}

/** One line summing up issues, for an error's message: "a.b: expected …; c: …" (capped). */
export function summarizeIssues(issues: readonly { path: string; message: string }[]): string {
  return clip(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), MAX_ERROR_MESSAGE);
}

/** An error as it may go on the wire: message and issues capped (whatever produced it). */
export function capCommandError(error: CommandError): CommandError {
  const issues =
    error.issues.length > MAX_ERROR_ISSUES + 1 ||
    error.issues.some((i) => i.path.length > MAX_ISSUE_TEXT || i.message.length > MAX_ISSUE_TEXT)
      ? cappedIssues(error.issues.map((issue) => ({ path: [issue.path], message: issue.message })))
      : error.issues;
  return {
    ...error,
    message: clip(error.message, MAX_ERROR_MESSAGE),
    channel: error.channel === null ? null : clip(error.channel, MAX_ISSUE_TEXT),
    issues,
  };
}

/** No command needs more: a payload past these is refused before it is validated (validation
 * cost grows with every value, and every bad value would be an issue). */
export const MAX_PAYLOAD_VALUES = 10_000;
export const MAX_PAYLOAD_DEPTH = 64;

/** Why a payload is too big to validate, or null. Walks at most MAX_PAYLOAD_VALUES values. */
export function payloadTooComplex(payload: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value: payload, depth: 0 }];
  let count = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    count += 1;
    if (count > MAX_PAYLOAD_VALUES) return `payload refused: more than ${MAX_PAYLOAD_VALUES} values`;
    if (depth > MAX_PAYLOAD_DEPTH) return `payload refused: nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
    if (value !== null && typeof value === 'object') {
      const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value as Record<string, unknown>);
      if (count + stack.length + children.length > MAX_PAYLOAD_VALUES)
        return `payload refused: more than ${MAX_PAYLOAD_VALUES} values`;
      for (const child of children) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}
