// The permission socket protocol between the MCP bridge (client) and the PermissionServer in the host:
// newline-delimited JSON frames, each with `v: 1` and a `kind`; zod schemas for both directions, the
// encoder, and a splitter that reassembles frames spread over many reads and enforces the size limit.
//
// Client → server:  decide {id, goalId, secret, call}   cancel {id, goalId, secret}
// Server → client:  accepted {id}  (the host has the request and is deciding; no timeout from here on)
//                   decision {id, decision}
//                   error {id|null, code, message, fatal}  (fatal: the server closes the connection next)
import { z } from 'zod';
import { PermissionDecisionSchema } from '../../shared/domain/permission.js';
import { readAnswerFrame, readDecideFrame } from './frame-fast-path.js';

export const PROTOCOL_VERSION = 1;
/** Largest frame either side accepts, newline excluded (large enough for a Write of a big file). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const version = z.literal(PROTOCOL_VERSION);
const requestId = z.string().min(1).max(128);

/** The tool call Claude Code asks about, as the bridge forwards it. */
export const ToolCallSchema = z.object({
  toolName: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  toolUseId: z.string().default(''),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

const goalAuth = { goalId: z.string().min(1).max(128), secret: z.string().min(1).max(512) };

export const ClientFrameSchema = z.discriminatedUnion('kind', [
  z.object({ v: version, kind: z.literal('decide'), id: requestId, ...goalAuth, call: ToolCallSchema }),
  /** Claude cancelled the tool call: the host drops the request (it is denied and leaves the inbox). */
  z.object({ v: version, kind: z.literal('cancel'), id: requestId, ...goalAuth }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ErrorCodeSchema = z.enum([
  'parse_error',
  'frame_too_large',
  'unsupported_version',
  'bad_frame',
  'unauthorized',
  'duplicate_id',
  /** The connection sent no authenticated frame in time. */
  'auth_timeout',
  /** The server is at its connection limit or its buffered-bytes limit. */
  'server_busy',
  /** The connection does not read its answers (the server's write backlog is over the limit). */
  'backlog_exceeded',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ServerFrameSchema = z.discriminatedUnion('kind', [
  z.object({ v: version, kind: z.literal('accepted'), id: requestId }),
  z.object({ v: version, kind: z.literal('decision'), id: requestId, decision: PermissionDecisionSchema }),
  z.object({
    v: version,
    kind: z.literal('error'),
    id: requestId.nullable(),
    code: ErrorCodeSchema,
    message: z.string(),
    fatal: z.boolean(),
  }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** One frame as a line. JSON.stringify escapes newlines inside strings, so the only newline is the terminator. */
export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

export type FrameParse<T> = { ok: true; frame: T } | { ok: false; code: ErrorCode; message: string; id: string | null };

const looseFrame = z.object({ v: z.unknown(), kind: z.unknown(), id: z.unknown(), secret: z.unknown() }).partial();

function idOf(loose: z.infer<typeof looseFrame>): string | null {
  return typeof loose.id === 'string' && loose.id.length > 0 && loose.id.length <= 128 ? loose.id : null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(frame)'}: ${issue.message}`)
    .join('; ');
}

/** Parses one client line: JSON, then the version, then the secret's presence, then the full shape. */
export function parseClientFrame(line: string): FrameParse<ClientFrame> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, code: 'parse_error', message: `frame is not JSON: ${errorText(error)}`, id: null };
  }
  // The ordinary decide frame is read in plain code (it passes every check below); the rest by zod.
  const decide = readDecideFrame(json);
  if (decide !== null) return { ok: true, frame: decide };
  const loose = looseFrame.safeParse(json);
  if (!loose.success) return { ok: false, code: 'bad_frame', message: 'frame is not a JSON object', id: null };
  const id = idOf(loose.data);
  if (loose.data.v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: 'unsupported_version',
      message: `unsupported protocol version ${JSON.stringify(loose.data.v) ?? 'undefined'}; this host speaks v${PROTOCOL_VERSION}`,
      id,
    };
  }
  if ((loose.data.kind === 'decide' || loose.data.kind === 'cancel') && typeof loose.data.secret !== 'string') {
    return { ok: false, code: 'unauthorized', message: 'frame carries no goal secret', id };
  }
  const parsed = ClientFrameSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, code: 'bad_frame', message: `bad frame: ${describeIssues(parsed.error)}`, id };
  return { ok: true, frame: parsed.data };
}

/** Parses one server line (used by the bridge). */
export function parseServerFrame(line: string): FrameParse<ServerFrame> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, code: 'parse_error', message: `frame is not JSON: ${errorText(error)}`, id: null };
  }
  const answer = readAnswerFrame(json);
  if (answer !== null) return { ok: true, frame: answer };
  const parsed = ServerFrameSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, code: 'bad_frame', message: `bad frame: ${describeIssues(parsed.error)}`, id: null };
  return { ok: true, frame: parsed.data };
}

export type SplitResult = { lines: string[]; tooLarge: false } | { lines: string[]; tooLarge: true; bytes: number };

/**
 * Reassembles newline-terminated frames from arbitrary chunks. Blank lines are dropped. Once a frame
 * grows past `maxBytes` without its newline, `push` reports tooLarge (with the lines completed before
 * it) and the splitter refuses further input: the caller answers with an error and closes.
 */
export class FrameSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private broken = false;

  constructor(private readonly maxBytes: number = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): SplitResult {
    const lines: string[] = [];
    if (this.broken) return { lines, tooLarge: true, bytes: this.partBytes };
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      if (this.partBytes + piece.length > this.maxBytes) return this.overflow(lines, this.partBytes + piece.length);
      const whole = this.parts.length === 0 ? piece : Buffer.concat([...this.parts, piece]);
      this.parts = [];
      this.partBytes = 0;
      const line = whole.toString('utf8').replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.partBytes + rest.length > this.maxBytes) return this.overflow(lines, this.partBytes + rest.length);
      this.parts.push(rest);
      this.partBytes += rest.length;
    }
    return { lines, tooLarge: false };
  }

  /** Bytes of an unfinished frame held so far. */
  get pendingBytes(): number {
    return this.partBytes;
  }

  private overflow(lines: string[], bytes: number): SplitResult {
    this.broken = true;
    this.parts = [];
    this.partBytes = bytes;
    return { lines, tooLarge: true, bytes };
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
