// The permission server: a Unix socket (mode 0600, in a folder created 0700 if missing; a stale socket is replaced at
// start) where MCP bridges send `decide` frames. Each connection reassembles newline-delimited frames,
// authenticates every frame against its goal's secret, acknowledges the request (`accepted`) and
// answers with the handler's decision. A frame that does not parse, is too big or is not
// authenticated gets an error frame and its connection is closed; other connections carry on.
//
// Limits, so no local client can exhaust the host: a connection that is idle for `authTimeoutMs`
// before its first authenticated frame is closed (the bridge sends one right after connecting); at most
// `maxConnections` connections at once; a connection holds at most `maxFrameBytes` of an unfinished
// frame, and all connections together at most `maxBufferedBytes`; a connection whose answers pile up
// unread past `maxWriteBacklogBytes` is dropped. Each refusal is an error frame, then a close.
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
  /** A connection idle this long before its first authenticated frame is closed (default 15 s). */
  authTimeoutMs?: number;
  /** Connections served at once; more are refused (default 128). */
  maxConnections?: number;
  /** Unfinished-frame bytes held across all connections (default 4 × maxFrameBytes). */
  maxBufferedBytes?: number;
  /** Unread answer bytes a connection may leave queued (default maxFrameBytes + 1 MiB). */
  maxWriteBacklogBytes?: number;
}

/**
 * Matches the bridge's own acknowledgement timeout: a request not accepted by then is denied by the
 * bridge anyway, so a connection still unauthenticated after it serves no one.
 */
export const DEFAULT_AUTH_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_CONNECTIONS = 128;

/** Bytes of unfinished frames held by all connections of one server. */
class BufferBudget {
  private used = 0;
  constructor(readonly max: number) {}
  /** Moves a connection's holding from `before` to `after` bytes; false when that exceeds the budget. */
  change(before: number, after: number): boolean {
    this.used += after - before;
    return after <= before || this.used <= this.max;
  }
}

interface ConnectionOptions {
  handler: PermissionRequestHandler;
  closeGraceMs: number;
  maxFrameBytes: number;
  authTimeoutMs: number;
  maxWriteBacklogBytes: number;
  budget: BufferBudget;
  onProblem: (message: string) => void;
}

export class PermissionServerStartError extends Error {
  override readonly name = 'PermissionServerStartError';
}

/**
 * The socket's folder must be ours and closed to writes by others: whoever can write there can
 * replace the socket and read every goal's secret. Overseer never chmods a folder it did not create
 * (see ensurePrivateDir), so a folder that fails this check is refused rather than fixed.
 */
function checkSocketFolder(folder: string): void {
  const info = lstatSync(folder);
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (!info.isDirectory())
    throw new PermissionServerStartError(`${folder} is not a directory; refusing to put the permission socket there`);
  if (uid !== null && info.uid !== uid) {
    throw new PermissionServerStartError(
      `${folder} belongs to another user (uid ${info.uid}); refusing to put the permission socket there`,
    );
  }
  if ((info.mode & 0o022) !== 0) {
    throw new PermissionServerStartError(
      `${folder} can be written by other users (mode ${(info.mode & 0o7777).toString(8)}); refusing to put the permission socket there (chmod 700 it)`,
    );
  }
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

/** Refuses a connection over a server limit: one error frame, then the socket is destroyed. */
function refuse(socket: Socket, code: ErrorCode, message: string, closeGraceMs: number): void {
  socket.on('error', () => undefined);
  socket.end(encodeFrame({ v: PROTOCOL_VERSION, kind: 'error', id: null, code, message, fatal: true }));
  setTimeout(() => socket.destroy(), closeGraceMs).unref();
}

class Connection {
  private readonly splitter: FrameSplitter;
  private readonly inflight = new Map<string, AbortController>();
  private closing = false;
  private authTimer: NodeJS.Timeout | null;
  /** Unfinished-frame bytes this connection holds in the server's budget. */
  private held = 0;
  private lastDataAt = Date.now();

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.splitter = new FrameSplitter(options.maxFrameBytes);
    this.authTimer = this.armAuthTimer(options.authTimeoutMs);
    socket.on('data', (chunk: Buffer) => {
      this.lastDataAt = Date.now();
      this.onData(chunk);
    });
    socket.on('error', (error) => options.onProblem(`permission connection error: ${error.message}`));
    socket.on('close', () => {
      this.closing = true;
      this.clearAuthTimer();
      this.release();
      for (const controller of this.inflight.values()) controller.abort();
      this.inflight.clear();
    });
  }

  /**
   * Closes the connection once it has been idle (no bytes) for authTimeoutMs without an authenticated
   * frame. The check runs in a setImmediate, after the event loop's I/O phase: when the host was
   * busy, bytes that arrived in time are read before the connection is judged idle.
   */
  private armAuthTimer(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (this.authTimer !== timer || this.closing) return;
        const idleMs = Date.now() - this.lastDataAt;
        if (idleMs < this.options.authTimeoutMs) {
          this.authTimer = this.armAuthTimer(this.options.authTimeoutMs - idleMs);
          return;
        }
        this.authTimer = null;
        this.fail('auth_timeout', `no authenticated frame after ${this.options.authTimeoutMs} ms idle`, null);
      });
    }, delayMs);
    timer.unref();
    return timer;
  }

  private clearAuthTimer(): void {
    if (this.authTimer === null) return;
    clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  /** Gives this connection's held bytes back to the budget. */
  private release(): void {
    this.options.budget.change(this.held, 0);
    this.held = 0;
  }

  private send(frame: ServerFrame): void {
    if (this.closing || this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(encodeFrame(frame));
    if (this.socket.writableLength > this.options.maxWriteBacklogBytes) {
      this.fail('backlog_exceeded', `over ${this.options.maxWriteBacklogBytes} bytes of answers left unread`, null);
    }
  }

  /** Sends an error frame and closes the connection; further input is ignored. */
  private fail(code: ErrorCode, message: string, id: string | null): void {
    if (this.closing) return;
    this.closing = true;
    this.clearAuthTimer();
    this.release();
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
      return;
    }
    if (this.closing) return;
    const before = this.held;
    this.held = this.splitter.pendingBytes;
    if (!this.options.budget.change(before, this.held)) {
      this.fail(
        'server_busy',
        `the permission server holds over ${this.options.budget.max} bytes of unfinished frames; try again`,
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
    this.clearAuthTimer();
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
    // A rule decides within this tick: `accepted` and the decision then leave in one write (one
    // wake-up of the bridge instead of two). Otherwise `accepted` leaves once this tick is over.
    const release = this.holdWrites();
    this.send({ v: PROTOCOL_VERSION, kind: 'accepted', id: frame.id });
    let decision: Promise<PermissionDecision>;
    try {
      decision = this.options.handler.decide(frame.goalId, frame.call, controller.signal);
    } catch (error) {
      decision = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    decision.then(
      (value) => {
        if (this.inflight.get(frame.id) !== controller) return release();
        this.inflight.delete(frame.id);
        this.send({ v: PROTOCOL_VERSION, kind: 'decision', id: frame.id, decision: value });
        release();
      },
      (error: unknown) => {
        if (this.inflight.get(frame.id) !== controller) return release();
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
        release();
      },
    );
  }

  /**
   * Corks the socket until the returned function is called or, at the latest, the event loop's next
   * check phase (after every promise settled in this tick). Each hold is released exactly once.
   */
  private holdWrites(): () => void {
    const socket = this.socket;
    socket.cork();
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      clearImmediate(timer);
      socket.uncork();
    };
    const timer = setImmediate(release);
    return release;
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
    checkSocketFolder(ensurePrivateDir(dirname(path)));
    await clearStaleSocket(path);
    const maxFrameBytes = this.options.maxFrameBytes ?? MAX_FRAME_BYTES;
    const connectionOptions: ConnectionOptions = {
      handler: this.options.handler,
      closeGraceMs: this.options.closeGraceMs ?? 2000,
      maxFrameBytes,
      authTimeoutMs: this.options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS,
      maxWriteBacklogBytes: this.options.maxWriteBacklogBytes ?? maxFrameBytes + 1024 * 1024,
      budget: new BufferBudget(this.options.maxBufferedBytes ?? 4 * maxFrameBytes),
      onProblem: this.options.onProblem ?? (() => undefined),
    };
    const maxConnections = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const server = createServer((socket) => {
      if (this.sockets.size >= maxConnections) {
        connectionOptions.onProblem(`permission connection refused: ${maxConnections} connections already open`);
        refuse(
          socket,
          'server_busy',
          `the permission server is at its limit of ${maxConnections} connections`,
          connectionOptions.closeGraceMs,
        );
        return;
      }
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
