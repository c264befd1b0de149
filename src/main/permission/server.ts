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
// One connection's protocol lives in server-connection.ts; the socket file and its folder in socket-file.ts.
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../paths.js';
import { MAX_FRAME_BYTES } from './frames.js';
import {
  BufferBudget,
  Connection,
  refuse,
  type ConnectionOptions,
  type PermissionRequestHandler,
} from './server-connection.js';
import { checkSocketFolder, clearStaleSocket, PermissionServerStartError } from './socket-file.js';

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
