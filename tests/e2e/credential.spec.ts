// The operator's credential stays put (issue 9, findings 2 and 10): the token never travels as a
// cookie, so another web app on 127.0.0.1 (say a dev server the agent just wrote) opened in the same
// browser receives nothing that opens the WebSocket; a tab without a token says how to open the
// console; an empty `?token=` never overrides the tab's stored token.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { serveConsole, type ServedConsole } from '../helpers/serve.js';
import { TOKEN_REFUSED_CLOSE } from '../../src/shared/socket-auth.js';

let served: ServedConsole;
let other: Server;
let otherOrigin: string;
const seenByOther: { url: string; headers: IncomingHttpHeaders }[] = [];

test.beforeAll(async () => {
  served = await serveConsole();
  // A second web app on another loopback port: it records everything the browser sends it.
  other = createServer((request, response) => {
    seenByOther.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>other app</title><img src="/pixel.png"><p>other app</p>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => other.close(() => resolve()));
  await served.stop();
});

/** Opens /ws from Node with exactly these headers and no subprotocol token; how did it end? */
function openWith(
  headers: Record<string, string>,
): Promise<{ opened: boolean; frames: number; code: number | null; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws`, ['overseer.v1'], { headers });
    let opened = false;
    let frames = 0;
    ws.on('open', () => (opened = true));
    ws.on('message', () => (frames += 1));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) =>
      resolve({ opened: false, frames, code: null, status: res.statusCode ?? null }),
    );
    ws.on('close', (code) => resolve({ opened, frames, code, status: null }));
  });
}

test('another app on 127.0.0.1 in the same browser receives nothing that opens the WebSocket', async ({
  context,
  page,
}) => {
  await page.goto(served.url);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('open');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Ping host' }).click();
  await expect(page.getByTestId('ping-answer')).toHaveText(/^pong /);

  // No cookie at all for the console's host.
  expect(await context.cookies(served.origin)).toEqual([]);

  const second = await context.newPage();
  await second.goto(`${otherOrigin}/`);
  await expect(second.getByText('other app')).toBeVisible();
  // The other app's own page tries the console's socket from the browser (cookies would ride along).
  const fromPage = await second.evaluate(
    async (wsUrl) => {
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl, ['overseer.v1']);
        ws.addEventListener('message', () => resolve('got a frame'));
        ws.addEventListener('close', () => resolve('closed'));
      });
    },
    `${served.origin.replace('http', 'ws')}/ws`,
  );
  expect(fromPage).toBe('closed');

  await expect.poll(() => seenByOther.some((seen) => seen.url === '/pixel.png')).toBe(true);
  const everything = JSON.stringify(seenByOther);
  expect(everything).not.toContain(served.token);
  for (const seen of seenByOther) expect(seen.headers.cookie).toBeUndefined();

  // Whatever it received, replayed against /ws from Node (no Origin, the way a hostile local
  // process would): refused, not one frame.
  for (const seen of seenByOther) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(seen.headers)) {
      if (typeof value === 'string' && !/^(host|connection|upgrade|sec-websocket-.*)$/i.test(name))
        headers[name] = value;
    }
    const outcome = await openWith(headers);
    expect(outcome.frames).toBe(0);
    expect(outcome.status === 403 || outcome.code === TOKEN_REFUSED_CLOSE).toBe(true);
  }
  await second.close();
});

test('a tab opened without a token says how to open the console instead of "connection lost"', async ({ page }) => {
  await page.goto(`${served.origin}/`);
  const notice = page.getByTestId('access-needed');
  await expect(notice).toContainText('This tab has no access token');
  await expect(notice).toContainText('overseer serve');
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveCount(0);
});

test('a refused (stale) token says so and stops retrying', async ({ page }) => {
  await page.goto(`${served.origin}/?token=${'A'.repeat(43)}`);
  await expect(page.getByTestId('access-needed')).toContainText('refused');
  expect(page.url()).not.toContain('token=');
});

test('an empty ?token= does not override the token this tab already has', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('open');
  await page.goto(`${served.origin}/?token=`);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('open');
  expect(page.url()).not.toContain('token=');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Ping host' }).click();
  await expect(page.getByTestId('ping-answer')).toHaveText(/^pong /);
});
