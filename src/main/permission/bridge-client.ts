// The bridge's side of the permission socket: sends `decide` frames for its goal over one persistent
// connection and waits for the host's decision. It fails closed: a missing or refused socket, a
// connection that closes, a host that does not acknowledge within the ack timeout, or an error frame
// all become a deny whose message says why. Once the host has acknowledged a request there is no
// timeout (the operator may take as long as they need); a dead host shows as the socket closing.
// The acknowledgement deadlines of all requests share one timer (armed for the earliest), not one each:
// a rule answers within the same write as its `accepted`, so a timer per prompt was set only to be cleared.
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { PermissionDecision } from '../../shared/domain/permission.js';
import { bridgeDeny } from './bridge-deny.js';
import type { CancelSignal } from './cancel-signal.js';
import {
  encodeFrame,
  FrameSplitter,
  MAX_FRAME_BYTES,
  parseServerFrame,
  PROTOCOL_VERSION,
  type ServerFrame,
  type ToolCall,
} from './frames.js';

export interface PermissionSocketClientOptions {
  socketPath: string;
  goalId: string;
  secret: string;
  /** Connecting may take this long (default 5 s). */
  connectTimeoutMs?: number;
  /** The host must acknowledge a request within this long (default 15 s); after that, no limit. */
  ackTimeoutMs?: number;
  maxFrameBytes?: number;
}

interface InFlight {
  /** The connection the request went out on. */
  socket: Socket;
  resolve: (decision: PermissionDecision) => void;
  /** When the host must have acknowledged it (performance.now() ms); null once it has. */
  ackDeadline: number | null;
}

function connectError(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `the permission socket ${path} does not exist (is the Overseer host running?)`;
    case 'ECONNREFUSED':
      return `nothing is listening on the permission socket ${path} (the Overseer host is gone)`;
    case 'EACCES':
      return `no access to the permission socket ${path}`;
    default:
      return `cannot connect to the permission socket ${path}: ${error.message}`;
  }
}

export class PermissionSocketClient {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;
  private readonly inflight = new Map<string, InFlight>();
  private nextId = 0;
  private closed = false;
  /** The one acknowledgement timer, armed while a request awaits its `accepted`. */
  private ackTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PermissionSocketClientOptions) {}

  /** Requests sent that the host has not acknowledged yet (tests, diagnostics). */
  get awaitingAcknowledgement(): number {
    let count = 0;
    for (const entry of this.inflight.values()) if (entry.ackDeadline !== null) count++;
    return count;
  }

  /** Asks the host. Never rejects: every failure is a deny saying why. */
  decide(call: ToolCall, signal?: CancelSignal): Promise<PermissionDecision> {
    if (this.closed) return Promise.resolve(bridgeDeny('the permission bridge is shutting down'));
    if (signal?.aborted === true) return Promise.resolve(bridgeDeny('Claude cancelled the request'));
    // Connected (every prompt after the first): send at once, without waiting a tick for the socket.
    const open = this.socket;
    if (open !== null && !open.destroyed) return this.send(open, call, signal);
    return this.connect().then(
      (socket) =>
        socket.destroyed
          ? bridgeDeny('the Overseer host closed the permission connection (did it exit?)')
          : this.send(socket, call, signal),
      (error: unknown) => bridgeDeny(error instanceof Error ? error.message : String(error)),
    );
  }

  private send(socket: Socket, call: ToolCall, signal: CancelSignal | undefined): Promise<PermissionDecision> {
    if (this.closed) return Promise.resolve(bridgeDeny('the permission bridge is shutting down'));
    if (signal?.aborted === true) return Promise.resolve(bridgeDeny('Claude cancelled the request'));
    const id = String(this.nextId++);
    const { goalId, secret } = this.options;
    return new Promise<PermissionDecision>((resolve) => {
      const entry: InFlight = { socket, resolve, ackDeadline: performance.now() + this.ackTimeoutMs };
      this.inflight.set(id, entry);
      this.ackTimer ??= this.armAckTimer(this.ackTimeoutMs);
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.inflight.has(id)) return;
          if (!socket.destroyed) socket.write(encodeFrame({ v: PROTOCOL_VERSION, kind: 'cancel', id, goalId, secret }));
          this.settle(id, bridgeDeny('Claude cancelled the request'));
        },
        { once: true },
      );
      socket.write(encodeFrame({ v: PROTOCOL_VERSION, kind: 'decide', id, goalId, secret, call }));
    });
  }

  /** Drops the connection; requests in flight are denied. */
  close(): void {
    this.closed = true;
    this.socket?.destroy();
    this.failAll('the permission bridge is shutting down');
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
  }

  private get ackTimeoutMs(): number {
    return this.options.ackTimeoutMs ?? 15_000;
  }

  /**
   * Arms the acknowledgement timer: when it fires, every request past its deadline is denied, and the
   * timer is armed again for the earliest deadline still waiting (if any).
   */
  private armAckTimer(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.ackTimer = null;
        const now = performance.now();
        let earliest: number | null = null;
        for (const [id, entry] of [...this.inflight]) {
          if (entry.ackDeadline === null) continue;
          if (entry.ackDeadline <= now) {
            this.settle(
              id,
              bridgeDeny(`the Overseer host did not acknowledge the request within ${this.ackTimeoutMs} ms`),
            );
          } else if (earliest === null || entry.ackDeadline < earliest) earliest = entry.ackDeadline;
        }
        if (earliest !== null && !this.closed) this.ackTimer = this.armAckTimer(earliest - now);
      },
      Math.max(1, Math.ceil(delayMs)),
    );
    // A request waiting for its acknowledgement keeps its socket open, and that keeps the process alive.
    timer.unref();
    return timer;
  }

  private settle(id: string, decision: PermissionDecision): void {
    const entry = this.inflight.get(id);
    if (entry === undefined) return;
    this.inflight.delete(id);
    entry.resolve(decision);
  }

  /** Denies every request in flight (on `socket` only, when given). */
  private failAll(reason: string, socket?: Socket): void {
    for (const [id, entry] of [...this.inflight]) {
      if (socket === undefined || entry.socket === socket) this.settle(id, bridgeDeny(reason));
    }
  }

  private connect(): Promise<Socket> {
    if (this.socket !== null && !this.socket.destroyed) return Promise.resolve(this.socket);
    if (this.connecting !== null) return this.connecting;
    const path = this.options.socketPath;
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    this.connecting = new Promise<Socket>((resolve, reject) => {
      const socket = createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`could not connect to the permission socket ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        this.attach(socket);
        resolve(socket);
      });
      const onConnectError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(connectError(path, error)));
      };
      socket.once('error', onConnectError);
    }).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    const splitter = new FrameSplitter(this.options.maxFrameBytes ?? MAX_FRAME_BYTES);
    let failure: string | null = null;
    socket.on('data', (chunk: Buffer) => {
      const result = splitter.push(chunk);
      for (const line of result.lines) {
        const parsed = parseServerFrame(line);
        if (!parsed.ok) {
          failure = `the Overseer host sent an unreadable frame (${parsed.message})`;
          socket.destroy();
          return;
        }
        this.onFrame(parsed.frame, socket);
      }
      if (result.tooLarge) {
        failure = `the Overseer host sent a frame over ${this.options.maxFrameBytes ?? MAX_FRAME_BYTES} bytes`;
        socket.destroy();
      }
    });
    socket.on('error', (error) => {
      failure ??= `the permission connection failed: ${error.message}`;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      this.failAll(failure ?? 'the Overseer host closed the permission connection (did it exit?)', socket);
    });
  }

  private onFrame(frame: ServerFrame, socket: Socket): void {
    if (frame.kind === 'error' && (frame.fatal || frame.id === null)) {
      // The host closes this connection next; drop it now so the next request reconnects.
      this.failAll(`the Overseer host rejected the request (${frame.code}: ${frame.message})`, socket);
      socket.destroy();
      if (this.socket === socket) this.socket = null;
      return;
    }
    // Only frames about a request sent on this very connection count.
    const entry = frame.id === null ? undefined : this.inflight.get(frame.id);
    if (entry === undefined || entry.socket !== socket || frame.id === null) return;
    switch (frame.kind) {
      case 'accepted':
        entry.ackDeadline = null;
        return;
      case 'decision':
        this.settle(frame.id, frame.decision);
        return;
      case 'error':
        this.settle(frame.id, bridgeDeny(`the Overseer host could not decide (${frame.code}: ${frame.message})`));
        return;
    }
  }
}
