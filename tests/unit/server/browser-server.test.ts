import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tcpConnect } from 'node:net';
import WebSocket from 'ws';
import { socketProtocols, TOKEN_REFUSED_CLOSE } from '../../../src/shared/socket-auth.js';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { startBrowserServer, type BrowserServer } from '../../../src/main/server/browser-server.js';
import type { DriverEvent } from '../../../src/shared/events.js';
let logSeq = 0;
const logged = (event: DriverEvent) => ({ logSeq: logSeq++, at: new Date().toISOString(), event });

const GOAL = '4c5e2c1e-8a0f-4e7e-9d55-7f7c3f0c6a11';
type Frame = { type: string; seq?: number; id?: number; ok?: boolean; error?: { code: string; message: string } };

let dir: string;
let host: Host;
let server: BrowserServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overseer-bs-'));
  const renderer = join(dir, 'renderer');
  rmSync(renderer, { recursive: true, force: true });
  await import('node:fs').then((fs) => fs.mkdirSync(renderer));
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  host = await createHost({ mode: 'browser', dataDir: join(dir, 'data'), heartbeatMs: 0 });
  server = await startBrowserServer({ host, rendererDir: renderer });
});
afterEach(async () => {
  await server.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(
  token = server.token,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<{ ws: WebSocket; frames: Frame[]; next: (pred: (f: Frame) => boolean) => Promise<Frame> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, socketProtocols(token), options);
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.pred(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const next = (pred: (f: Frame) => boolean): Promise<Frame> => {
    const found = frames.find(pred);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ pred, resolve }));
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, next }));
    ws.once('error', reject);
  });
}

/** Tries a socket and reports how it ended: refused at the handshake, or opened and then closed. */
function attempt(
  protocols: string[],
  options: { origin?: string; headers?: Record<string, string> } = {},
  path = '/ws',
): Promise<{ status: number; body: string; closeCode: number | null; frames: string[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, protocols, options);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, closeCode: null, frames }));
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => resolve({ status: 101, body: '', closeCode: code, frames }));
  });
}

/** Sends raw bytes on a fresh TCP connection and returns what came back until the server closed it. */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (/\r\n\r\n/.test(answer) && !answer.startsWith('HTTP/1.1 101')) socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
  });
}

describe('browser-mode server', () => {
  it('serves the public page without any credential, sets no cookie, refuses a foreign Host', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const withToken = await fetch(`${base}/?token=${server.token}`);
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('set-cookie')).toBeNull();
    for (const path of ['/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const response = await fetch(`${base}${path}`);
      expect(await response.text()).not.toContain('root:');
    }
    expect(await raw(`GET / HTTP/1.1\r\nHost: evil.example:${server.port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
  });

  it('answers unreadable request targets and percent-encodings 400 and keeps serving', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const target of ['//[', '//[::1', '/%', '/%c0%ae%c0%ae/x', '/a%zz', '*']) {
      expect(await raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`), target).toMatch(/^HTTP\/1\.1 400/);
      const upgrade = `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
      expect(await raw(upgrade), `upgrade ${target}`).toMatch(/^HTTP\/1\.1 (400|404)/);
    }
    expect((await fetch(`http://${host}/`)).status).toBe(200);
    const client = await connect();
    client.ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'ping', payload: { nonce: 'alive' } }));
    expect(await client.next((f) => f.type === 'result')).toMatchObject({ ok: true });
    client.ws.close();
  });

  it('refuses to bind anything but loopback', async () => {
    await expect(startBrowserServer({ host, rendererDir: null, bindHost: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('opens the socket only for the token offered as a subprotocol: not a cookie, not the query', async () => {
    const refused = [
      await attempt(socketProtocols('wrong')),
      await attempt(['overseer.v1'], { headers: { cookie: `overseer_token=${server.token}` } }),
      await attempt(['overseer.v1'], {}, `/ws?token=${server.token}`),
    ];
    for (const outcome of refused) {
      expect(outcome.closeCode).toBe(TOKEN_REFUSED_CLOSE);
      expect(outcome.frames).toEqual([]);
    }
    const client = await connect();
    expect(client.ws.protocol).toBe('overseer.v1');
    expect(await client.next((f) => f.type === 'hello')).toMatchObject({ type: 'hello' });
    client.ws.close();
  });

  it('wants the exact Origin of this server from a browser', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${server.port + 1}`,
      `http://localhost:${server.port}`,
      'null',
      `${own}/`,
    ]) {
      const outcome = await attempt(socketProtocols(server.token), { origin });
      expect(outcome.status, origin).toBe(403);
      expect(outcome.body).toContain('is not allowed');
    }
    const client = await connect(server.token, { origin: own });
    expect(await client.next((f) => f.type === 'hello')).toMatchObject({ type: 'hello' });
    client.ws.close();
  });

  it('refuses an oversized frame up front and answers a 200 KB bad goal.create with a small error', async () => {
    const client = await connect();
    client.ws.send('x'.repeat(2 * 1024 * 1024));
    const refused = await client.next((f) => f.type === 'error');
    expect(refused.error?.message).toMatch(/^frame refused: 2097152 bytes is over the 1048576-byte limit/);
    const payload = { description: 'x', repoPath: '/x', acceptance: Array.from({ length: 100_000 }, () => 1) };
    const frame = JSON.stringify({ type: 'invoke', id: 9, channel: 'goal.create', payload });
    expect(frame.length).toBeGreaterThan(200_000);
    const sizes: number[] = [];
    client.ws.on('message', (data: Buffer) => sizes.push(data.length));
    client.ws.send(frame);
    const answer = await client.next((f) => f.type === 'result' && f.id === 9);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(Math.max(...sizes)).toBeLessThan(4_000);
    client.ws.send(JSON.stringify({ type: 'invoke', id: 10, channel: 'ping', payload: { nonce: 'still' } }));
    expect(await client.next((f) => f.type === 'result' && f.id === 10)).toMatchObject({ ok: true });
    client.ws.close();
  });

  it('answers commands, reports malformed frames and keeps the connection', async () => {
    const client = await connect();
    client.ws.send('not json');
    expect((await client.next((f) => f.type === 'error')).error?.message).toBe('frame is not JSON');
    client.ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'ping', payload: { nonce: 'n1' } }));
    expect(await client.next((f) => f.type === 'result' && f.id === 1)).toMatchObject({
      ok: true,
      value: { nonce: 'n1' },
    });
    client.ws.close();
  });

  it('delivers what a reconnecting client missed, in order, once', async () => {
    const first = await connect();
    first.ws.send(JSON.stringify({ type: 'subscribe', afterSeq: -1 }));
    host.events.publish('goal.event', logged({ kind: 'goal_paused', goalId: GOAL }));
    const seen = await first.next((f) => f.type === 'event');
    first.ws.close();
    host.events.publish('goal.event', logged({ kind: 'goal_resumed', goalId: GOAL }));
    host.events.publish('goal.event', logged({ kind: 'goal_paused', goalId: GOAL }));

    const second = await connect();
    second.ws.send(JSON.stringify({ type: 'subscribe', afterSeq: seen.seq }));
    host.events.publish('goal.event', logged({ kind: 'goal_resumed', goalId: GOAL }));
    await second.next((f) => f.type === 'event' && f.seq === 3);
    expect(second.frames.filter((f) => f.type === 'event').map((f) => f.seq)).toEqual([1, 2, 3]);
    second.ws.close();
  });
});
