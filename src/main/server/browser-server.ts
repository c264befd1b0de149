// Browser mode: an HTTP server on loopback that serves the built renderer and carries the
// contract over one WebSocket. Every request and socket needs the per-launch token and our own
// Host/Origin. Events carry the hub's sequence numbers; a reconnecting client asks for what it missed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { ClientFrameSchema, type ServerFrame } from '../../shared/wire.js';
import type { HostEvent } from '../../shared/contract.js';
import type { Host } from '../host/host.js';
import { describeIssues } from '../host/command-error.js';
import { allowedHosts, checkAccess, isLoopbackHost, newToken, TOKEN_COOKIE } from './security.js';
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

const MAX_FRAME_BYTES = 32 * 1024 * 1024;

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const bindHost = options.bindHost ?? '127.0.0.1';
  if (!isLoopbackHost(bindHost)) {
    throw new Error(`refusing to bind ${bindHost}: browser mode serves loopback only (127.0.0.1, ::1 or localhost)`);
  }
  const token = options.token ?? newToken();
  const { host } = options;
  let hosts = new Set<string>();

  const server = createServer((request, response) => handleHttp(request, response));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  function handleHttp(request: IncomingMessage, response: ServerResponse): void {
    const verdict = checkAccess(request, token, hosts);
    if (!verdict.ok) {
      response.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${verdict.reason}\n`);
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
      'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    };
    if (options.rendererDir === null) {
      response.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      response.end('Overseer: the renderer is not built. Run `npm run build`, then start `overseer serve` again.\n');
      return;
    }
    const file = readStatic(options.rendererDir, new URL(request.url ?? '/', 'http://x').pathname);
    if (file === null) {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const wsSources = [...hosts].map((h) => `ws://${h}`);
    response.writeHead(200, {
      ...headers,
      'content-type': file.contentType,
      'content-security-policy': contentSecurityPolicy(wsSources),
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request, socket, head) => {
    const verdict = checkAccess(request, token, hosts);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (!verdict.ok || path !== '/ws') {
      const status = verdict.ok ? '404 Not Found' : `${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}`;
      const reason = verdict.ok ? 'no such endpoint' : verdict.reason;
      socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${reason}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  function serveSocket(ws: WebSocket): void {
    let unsubscribe: (() => void) | null = null;
    const forward = (event: HostEvent): void => send(ws, { type: 'event', seq: event.seq, channel: event.channel, payload: event.payload });
    send(ws, { type: 'hello', latestSeq: host.events.latestSeq, hostId: host.events.hostId });

    ws.on('message', (data: RawData) => {
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        send(ws, { type: 'error', error: { code: 'invalid_payload', message: 'frame is not JSON', channel: null, issues: [] } });
        return;
      }
      const frame = ClientFrameSchema.safeParse(json);
      if (!frame.success) {
        const issues = describeIssues(frame.error);
        send(ws, {
          type: 'error',
          error: { code: 'invalid_payload', message: `malformed frame: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, channel: null, issues },
        });
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
      void host.dispatcher.invoke(channel, payload, { transport: 'browser' }).then((result) => {
        send(ws, result.ok ? { type: 'result', id, ok: true, value: result.value } : { type: 'result', id, ok: false, error: result.error });
      });
    });
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
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
