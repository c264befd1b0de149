import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
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

function connect(token = server.token): Promise<{ ws: WebSocket; frames: Frame[]; next: (pred: (f: Frame) => boolean) => Promise<Frame> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`);
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

describe('browser-mode server', () => {
  it('serves the renderer only with the token and our own Host', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    const ok = await fetch(`${base}/?token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(ok.headers.get('set-cookie')).toContain('HttpOnly');
    for (const path of ['/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const response = await fetch(`${base}${path}?token=${server.token}`);
      expect(await response.text()).not.toContain('root:');
    }
  });

  it('refuses to bind anything but loopback', async () => {
    await expect(startBrowserServer({ host, rendererDir: null, bindHost: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('refuses a socket with a wrong token', async () => {
    await expect(connect('wrong')).rejects.toThrow(/401/);
  });

  it('answers commands, reports malformed frames and keeps the connection', async () => {
    const client = await connect();
    client.ws.send('not json');
    expect((await client.next((f) => f.type === 'error')).error?.message).toBe('frame is not JSON');
    client.ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'ping', payload: { nonce: 'n1' } }));
    expect(await client.next((f) => f.type === 'result' && f.id === 1)).toMatchObject({ ok: true, value: { nonce: 'n1' } });
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
