// The permission server: a Unix socket (mode 0600, in a 0700 folder; a stale socket is replaced at
// start) where MCP bridges send `decide` frames. Each connection reassembles newline-delimited frames,
// authenticates every frame against its goal's secret, acknowledges the request (`accepted`) and
// answers with the handler's decision. A frame that does not parse, is too big or is not
// authenticated gets an error frame and its connection is closed; other connections carry on.
import { lstatSync, unlinkSync, chmodSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { PermissionDecision } from '../../shared/domain/permission.js';
import { ensurePrivateDir } from '../paths.js';
import {
  encodeFrame,
  errorText,
  FrameSplitter,
  MAX_FRAME_BYTES,
  parseClientFrame,
  PROTOCOL_VERSION,
  type ErrorCode,
  type ServerFrame,
  type ToolCall,
} from './frames.js';

/** What the server asks of the host for each frame. */
export interface PermissionRequestHandler {
  /** Is `secret` the current secret of an open goal `goalId`? Must compare in constant time. */
  authenticate(goalId: string, secret: string): boolean;
  /** Decides a call. `signal` aborts when the bridge disconnects or cancels. */
  decide(goalId: string, call: ToolCall, signal: AbortSignal): Promise<PermissionDecision>;
}

export interface PermissionServerOptions {
  socketPath: string;
  handler: PermissionRequestHandler;
  maxFrameBytes?: number;
  /** How long a connection closed for a protocol error may linger before it is destroyed. */
  closeGraceMs?: number;
  /** Problems worth logging (never thrown). */
  onProblem?: (message: string) => void;
}

export class PermissionServerStartError extends Error {
  override readonly name = 'PermissionServerStartError';
}

/** Is something accepting connections on `path`? */
function probeSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Removes a stale socket at `path`; refuses to touch a live one or a file that is not a socket. */
async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) throw new PermissionServerStartError(`${path} exists and is not a socket; refusing to replace it`);
  if (await probeSocket(path)) {
    throw new PermissionServerStartError(`another Overseer host is already serving permissions at ${path}`);
  }
  unlinkSync(path);
}

class Connection {
  private readonly splitter: FrameSplitter;
  private readonly inflight = new Map<string, AbortController>();
  private closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: Required<Pick<PermissionServerOptions, 'handler' | 'closeGraceMs'>> & {
      maxFrameBytes: number;
      onProblem: (message: string) => void;
    },
  ) {
    this.splitter = new FrameSplitter(options.maxFrameBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => options.onProblem(`permission connection error: ${error.message}`));
    socket.on('close', () => {
      this.closing = true;
      for (const controller of this.inflight.values()) controller.abort();
      this.inflight.clear();
    });
  }

  private send(frame: ServerFrame): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(encodeFrame(frame));
  }

  /** Sends an error frame and closes the connection; further input is ignored. */
  private fail(code: ErrorCode, message: string, id: string | null): void {
    if (this.closing) return;
    this.closing = true;
    this.options.onProblem(`permission connection closed: ${code}: ${message}`);
    if (!this.socket.destroyed && !this.socket.writableEnded) {
      this.socket.end(encodeFrame({ v: PROTOCOL_VERSION, kind: 'error', id, code, message, fatal: true }));
    }
    setTimeout(() => this.socket.destroy(), this.options.closeGraceMs).unref();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    const result = this.splitter.push(chunk);
    for (const line of result.lines) {
      if (this.closing) return;
      this.onLine(line);
    }
    if (result.tooLarge) {
      this.fail(
        'frame_too_large',
        `frame exceeds the ${this.options.maxFrameBytes}-byte limit (at least ${result.bytes} bytes without a newline)`,
        null,
      );
    }
  }

  private onLine(line: string): void {
    const parsed = parseClientFrame(line);
    if (!parsed.ok) {
      this.fail(parsed.code, parsed.message, parsed.id);
      return;
    }
    const frame = parsed.frame;
    if (!this.options.handler.authenticate(frame.goalId, frame.secret)) {
      this.fail('unauthorized', `unknown goal ${frame.goalId} or wrong secret`, frame.id);
      return;
    }
    if (frame.kind === 'cancel') {
      this.inflight.get(frame.id)?.abort();
      return;
    }
    if (this.inflight.has(frame.id)) {
      this.fail('duplicate_id', `request id ${frame.id} is already in flight on this connection`, frame.id);
      return;
    }
    const controller = new AbortController();
    this.inflight.set(frame.id, controller);
    this.send({ v: PROTOCOL_VERSION, kind: 'accepted', id: frame.id });
    let decision: Promise<PermissionDecision>;
    try {
      decision = this.options.handler.decide(frame.goalId, frame.call, controller.signal);
    } catch (error) {
      decision = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    decision.then(
      (value) => {
        if (this.inflight.get(frame.id) !== controller) return;
        this.inflight.delete(frame.id);
        this.send({ v: PROTOCOL_VERSION, kind: 'decision', id: frame.id, decision: value });
      },
      (error: unknown) => {
        if (this.inflight.get(frame.id) !== controller) return;
        this.inflight.delete(frame.id);
        this.options.onProblem(`permission decision failed: ${errorText(error)}`);
        this.send({
          v: PROTOCOL_VERSION,
          kind: 'error',
          id: frame.id,
          code: 'internal',
          message: `the host could not decide: ${errorText(error)}`,
          fatal: false,
        });
      },
    );
  }
}

export class PermissionServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: PermissionServerOptions) {}

  get socketPath(): string {
    return this.options.socketPath;
  }

  /** Live connections (tests, diagnostics). */
  get connectionCount(): number {
    return this.sockets.size;
  }

  async start(): Promise<void> {
    if (this.server !== null) throw new PermissionServerStartError('permission server already started');
    const path = this.options.socketPath;
    ensurePrivateDir(dirname(path));
    await clearStaleSocket(path);
    const connectionOptions = {
      handler: this.options.handler,
      closeGraceMs: this.options.closeGraceMs ?? 2000,
      maxFrameBytes: this.options.maxFrameBytes ?? MAX_FRAME_BYTES,
      onProblem: this.options.onProblem ?? (() => undefined),
    };
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      new Connection(socket, connectionOptions);
    });
    server.on('error', (error) => connectionOptions.onProblem(`permission server error: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(path, 0o600);
    this.server = server;
  }

  /** Stops accepting, drops every connection (their bridges deny) and removes the socket file. */
  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    try {
      unlinkSync(this.options.socketPath);
    } catch {
      // already gone
    }
  }
}
