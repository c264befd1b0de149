// Browser mode: an HTTP server on loopback that serves the built renderer and carries the
// contract over one WebSocket. The page and its assets are public; the WebSocket needs the
// per-launch token (offered as a subprotocol, src/shared/socket-auth.ts, never a cookie) and, from a
// browser, this server's exact Origin. Every listener is guarded: a request we cannot read is
// answered 400, never thrown. Events carry the hub's sequence numbers; a reconnecting client asks
// for what it missed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  ClientFrameSchema,
  MAX_CLIENT_FRAME_BYTES,
  capCommandError,
  cappedIssues,
  summarizeIssues,
  type ServerFrame,
} from '../../shared/wire.js';
import { SOCKET_PATH, SOCKET_PROTOCOL, TOKEN_REFUSED_CLOSE } from '../../shared/socket-auth.js';
import type { HostEvent } from '../../shared/contract.js';
import type { Host } from '../host/index.js';
import {
  allowedHosts,
  checkHostAndOrigin,
  checkSocketToken,
  isLoopbackHost,
  newToken,
  requestPath,
} from './security.js';
import { contentSecurityPolicy, readStatic } from './static-files.js';

export interface BrowserServerOptions {
  host: Host;
  /** 0 picks a free port. */
  port?: number;
  bindHost?: string;
  /** The built renderer; null serves a page saying it is not built. */
  rendererDir: string | null;
  /** Fixed token (tests); random per launch otherwise. */
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The WebSocket layer's hard limit: a bigger message closes the socket (1009). Frames between
 * MAX_CLIENT_FRAME_BYTES and this are answered with an error frame and the socket stays. */
const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024 * 1024;
/** A client that reads nothing while events pile up past this is cut off. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** A refused socket gets this long to finish the closing handshake. */
const REFUSED_CLOSE_GRACE_MS = 2000;

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString();
}

/**
 * Answers a request we will not serve on a raw socket (a refused upgrade, an unreadable request)
 * and lets the socket go: whatever the client still sends is read and dropped (so its end is
 * seen and the socket closes), and a client that never ends it is cut off after a grace period.
 */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const phrase: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    408: 'Request Timeout',
    431: 'Request Header Fields Too Large',
  };
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${phrase[status] ?? 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${reason}\n`,
  );
  socket.resume();
  setTimeout(() => socket.destroy(), REFUSED_CLOSE_GRACE_MS).unref();
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const bindHost = options.bindHost ?? '127.0.0.1';
  if (!isLoopbackHost(bindHost)) {
    throw new Error(`refusing to bind ${bindHost}: browser mode serves loopback only (127.0.0.1, ::1 or localhost)`);
  }
  const token = options.token ?? newToken();
  const { host } = options;
  let hosts = new Set<string>();

  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (request, response) => {
    try {
      handleHttp(request, response);
    } catch {
      answerBadRequest(response, 'the request could not be read');
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') refuseUpgrade(socket, 408, 'request timeout');
    else if (error.code === 'HPE_HEADER_OVERFLOW') refuseUpgrade(socket, 431, 'request headers too large');
    else refuseUpgrade(socket, 400, 'bad request');
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_SOCKET_MESSAGE_BYTES,
    // One message per tick: a command's answer goes out before the next command of the same burst
    // runs, so a slow command (a long goal's details) does not hold back the answers asked before it.
    allowSynchronousEvents: false,
    handleProtocols: (offered) => (offered.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });
  sockets.on('error', () => undefined);
  // Every TCP connection, HTTP or upgraded, so close() can end them all.
  const connections = new Set<Duplex>();
  server.on('connection', (socket: Duplex) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });

  function answerBadRequest(response: ServerResponse, reason: string): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response
      .writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
      .end(`bad request: ${reason}\n`);
  }

  function handleHttp(request: IncomingMessage, response: ServerResponse): void {
    const verdict = checkHostAndOrigin(request, hosts);
    if (!verdict.ok) {
      response.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${verdict.reason}\n`);
      return;
    }
    const path = requestPath(request.url);
    if (path === null) {
      answerBadRequest(response, 'the request target is not a path');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    };
    if (options.rendererDir === null) {
      response.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      response.end('Overseer: the renderer is not built. Run `npm run build`, then start `overseer serve` again.\n');
      return;
    }
    const found = readStatic(options.rendererDir, path);
    if (found.kind === 'bad-request') {
      answerBadRequest(response, found.reason);
      return;
    }
    if (found.kind === 'not-found') {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const wsSources = [...hosts].map((h) => `ws://${h}`);
    response.writeHead(200, {
      ...headers,
      'content-type': found.file.contentType,
      'content-security-policy': contentSecurityPolicy(wsSources),
    });
    response.end(request.method === 'HEAD' ? undefined : found.file.body);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      handleUpgrade(request, socket, head);
    } catch {
      refuseUpgrade(socket, 400, 'bad request');
    }
  });

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = requestPath(request.url);
    if (path === null) {
      refuseUpgrade(socket, 400, 'bad request: the request target is not a path');
      return;
    }
    const verdict = checkHostAndOrigin(request, hosts);
    if (!verdict.ok) {
      refuseUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    if (path !== SOCKET_PATH) {
      refuseUpgrade(socket, 404, 'no such endpoint');
      return;
    }
    const tokenVerdict = checkSocketToken(request, token);
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (tokenVerdict.ok) {
        serveSocket(ws);
        return;
      }
      // Completed, then closed at once with a code the page can show ("open the printed URL");
      // nothing is read from or sent to an unauthenticated socket.
      ws.on('error', () => undefined);
      ws.on('message', () => undefined);
      ws.close(TOKEN_REFUSED_CLOSE, 'token refused: open the URL printed by `overseer serve`');
      setTimeout(() => ws.terminate(), REFUSED_CLOSE_GRACE_MS).unref();
    });
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    try {
      ws.send(JSON.stringify(frame));
    } catch (error) {
      if (frame.type === 'result') {
        const message = `the answer could not be sent: ${error instanceof Error ? error.message : String(error)}`;
        try {
          ws.send(
            JSON.stringify({
              type: 'result',
              id: frame.id,
              ok: false,
              error: capCommandError({ code: 'internal', message, channel: null, issues: [] }),
            } satisfies ServerFrame),
          );
        } catch {
          ws.terminate();
        }
      }
    }
  }

  function sendFrameError(ws: WebSocket, message: string, issues: { path: string; message: string }[] = []): void {
    send(ws, { type: 'error', error: capCommandError({ code: 'invalid_payload', message, channel: null, issues }) });
  }

  function serveSocket(ws: WebSocket): void {
    let unsubscribe: (() => void) | null = null;
    const forward = (event: HostEvent): void =>
      send(ws, { type: 'event', seq: event.seq, channel: event.channel, payload: event.payload });
    send(ws, { type: 'hello', latestSeq: host.events.latestSeq, hostId: host.events.hostId });

    ws.on('message', (data: RawData) => {
      try {
        handleFrame(data);
      } catch (error) {
        sendFrameError(ws, `the frame could not be handled: ${error instanceof Error ? error.message : String(error)}`);
      }
    });

    function handleFrame(data: RawData): void {
      const size = rawLength(data);
      if (size > MAX_CLIENT_FRAME_BYTES) {
        sendFrameError(ws, `frame refused: ${size} bytes is over the ${MAX_CLIENT_FRAME_BYTES}-byte limit`);
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(rawText(data));
      } catch {
        sendFrameError(ws, 'frame is not JSON');
        return;
      }
      const frame = ClientFrameSchema.safeParse(json);
      if (!frame.success) {
        const issues = cappedIssues(frame.error.issues);
        sendFrameError(ws, `malformed frame: ${summarizeIssues(issues)}`, issues);
        return;
      }
      if (frame.data.type === 'subscribe') {
        unsubscribe?.();
        const replay = host.events.since(frame.data.afterSeq);
        if (replay.gap) send(ws, { type: 'resync', latestSeq: host.events.latestSeq });
        else for (const event of replay.events) forward(event);
        unsubscribe = host.events.subscribe(forward);
        return;
      }
      const { id, channel, payload } = frame.data;
      host.dispatcher
        .invoke(channel, payload, { transport: 'browser' })
        .then((result) => {
          send(
            ws,
            result.ok
              ? { type: 'result', id, ok: true, value: result.value }
              : { type: 'result', id, ok: false, error: result.error },
          );
        })
        .catch((error: unknown) => {
          const message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
          send(ws, {
            type: 'result',
            id,
            ok: false,
            error: capCommandError({ code: 'internal', message, channel: null, issues: [] }),
          });
        });
    }
    ws.on('close', () => unsubscribe?.());
    ws.on('error', () => unsubscribe?.());
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost === 'localhost' ? '127.0.0.1' : bindHost, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  const urlHost = bindHost === '::1' ? '[::1]' : bindHost === 'localhost' ? '127.0.0.1' : bindHost;
  hosts = allowedHosts(urlHost, port);

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
        for (const socket of connections) socket.destroy();
      });
    },
  };
}
