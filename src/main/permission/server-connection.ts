// One connection of the permission server: reassembles newline-delimited frames, authenticates each
// against its goal's secret, acknowledges a request (`accepted`) and answers with the handler's decision.
// A frame that does not parse, is too big or is not authenticated gets an error frame and the connection
// is closed. Also owns the per-server limits a connection enforces (the shared buffer budget, the idle
// timeout before the first authenticated frame, the unread-answer backlog) and the refusal of a
// connection over the server's connection limit.
import type { Socket } from 'node:net';
import type { PermissionDecision } from '../../shared/domain/permission.js';
import { Cancellation, type CancelSignal } from './cancel-signal.js';
import {
  encodeFrame,
  errorText,
  FrameSplitter,
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
  decide(goalId: string, call: ToolCall, signal: CancelSignal): Promise<PermissionDecision>;
}

/** Bytes of unfinished frames held by all connections of one server. */
export class BufferBudget {
  private used = 0;
  constructor(readonly max: number) {}
  /** Moves a connection's holding from `before` to `after` bytes; false when that exceeds the budget. */
  change(before: number, after: number): boolean {
    this.used += after - before;
    return after <= before || this.used <= this.max;
  }
}

export interface ConnectionOptions {
  handler: PermissionRequestHandler;
  closeGraceMs: number;
  maxFrameBytes: number;
  authTimeoutMs: number;
  maxWriteBacklogBytes: number;
  budget: BufferBudget;
  onProblem: (message: string) => void;
}

/** Refuses a connection over a server limit: one error frame, then the socket is destroyed. */
export function refuse(socket: Socket, code: ErrorCode, message: string, closeGraceMs: number): void {
  socket.on('error', () => undefined);
  socket.end(encodeFrame({ v: PROTOCOL_VERSION, kind: 'error', id: null, code, message, fatal: true }));
  setTimeout(() => socket.destroy(), closeGraceMs).unref();
}

export class Connection {
  private readonly splitter: FrameSplitter;
  private readonly inflight = new Map<string, Cancellation>();
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
    const controller = new Cancellation();
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
