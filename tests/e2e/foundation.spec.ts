// Foundation, end to end: browser mode in real Chromium sends a command and gets its typed
// response, receives events, and the server refuses a wrong token, a foreign Origin and a
// malformed payload with a clear error while it keeps serving.
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { serveConsole, type ServedConsole } from '../helpers/serve.js';
import { socketProtocols, TOKEN_REFUSED_CLOSE } from '../../src/shared/socket-auth.js';

let served: ServedConsole;

test.beforeAll(async () => {
  served = await serveConsole();
});
test.afterAll(async () => {
  await served.stop();
});

test('the console opens, answers a command and receives events', async ({ page }) => {
  await page.goto(served.url);
  await expect(page.getByRole('heading', { name: 'Overseer' })).toBeVisible();
  // The host's details and connection checks are in Settings → About.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('app-mode')).toHaveText('browser');
  await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
  // The page carries the desktop window's CSP itself (file:// has no headers), and still connects.
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    /default-src 'self'; script-src 'self'/,
  );
  // The token leaves the address bar once the page has it.
  expect(page.url()).not.toContain('token=');

  await page.getByRole('button', { name: 'Ping host' }).click();
  await expect(page.getByTestId('ping-answer')).toHaveText(/^pong \w+ at \d{4}-/);

  await expect(page.getByTestId('heartbeats')).toHaveText(/Heartbeats received: [1-9]/);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('open');
});

test('a wrong token, a foreign Origin and a malformed payload are refused; the server keeps serving', async ({
  page,
  request,
}) => {
  const wrong = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws`, socketProtocols('not-the-token'));
    ws.on('error', () => undefined);
    ws.on('close', (code) => resolve(code));
  });
  expect(wrong).toBe(TOKEN_REFUSED_CLOSE);

  const foreignOrigin = await new Promise<{ status: number; body: string }>((resolve) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws`, socketProtocols(served.token), {
      origin: 'http://evil.example',
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => resolve({ status: 101, body: 'opened' }));
  });
  expect(foreignOrigin.status).toBe(403);
  expect(foreignOrigin.body).toContain('Origin "http://evil.example" is not allowed');

  const rebound = await request.get(`${served.origin}/?token=${served.token}`, {
    headers: { host: `evil.example:${new URL(served.origin).port}` },
  });
  expect(rebound.status()).toBe(403);

  // A malformed payload from the real page's own connection: a number where the contract wants a string.
  await page.goto(served.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('app-mode')).toHaveText('browser');
  const answer = await page.evaluate(async (protocols) => {
    const ws = new WebSocket(`ws://${location.host}/ws`, protocols);
    await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
    const result = new Promise<string>((resolve) => {
      ws.addEventListener('message', (message) => {
        const frame = JSON.parse(String(message.data)) as { type: string };
        if (frame.type === 'result') resolve(String(message.data));
      });
    });
    ws.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'ping', payload: { nonce: 42 } }));
    return result;
  }, socketProtocols(served.token));
  const frame = JSON.parse(answer) as {
    ok: boolean;
    error: { code: string; channel: string; message: string; issues: { path: string }[] };
  };
  expect(frame.ok).toBe(false);
  expect(frame.error.code).toBe('invalid_payload');
  expect(frame.error.channel).toBe('ping');
  expect(frame.error.issues.map((issue) => issue.path)).toEqual(['nonce']);
  expect(frame.error.message).toContain('"ping"');

  // Still serving: the UI's own command works after all of that.
  await page.getByRole('button', { name: 'Ping host' }).click();
  await expect(page.getByTestId('ping-answer')).toHaveText(/^pong /);
  expect(served.process.exitCode).toBeNull();
});
