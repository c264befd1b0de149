// Settings → Runners in browser mode (real Chromium): a console started with `--nats URL` lists
// the runners on a real nats-server (a built `overseer agent`), online with its slots and Claude
// binary; a runner killed with SIGKILL turns offline in the list; a console without a NATS URL
// says how to configure one.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, serveConsole, type ServedConsole } from '../helpers/serve.js';
import { startNatsServer, type NatsServer } from '../helpers/nats-server.js';

let nats: NatsServer;
let root: string;
let agent: ChildProcess;
let served: ServedConsole;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-e2e-runners-'));
  nats = await startNatsServer();
  agent = spawn(
    process.execPath,
    [
      builtCli,
      'agent',
      '--nats',
      nats.url,
      '--name',
      'e2e-box',
      '--data-dir',
      join(root, 'runner'),
      '--heartbeat-ms',
      '300',
      '--claude',
      '/bin/true',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  agent.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  agent.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 60_000 }).toContain('Runner e2e-box is online');
  served = await serveConsole({ extraArgs: ['--nats', nats.url] });
});
test.afterAll(async () => {
  await served?.stop();
  if (agent !== undefined && agent.exitCode === null && agent.signalCode === null) agent.kill('SIGTERM');
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
});

test('Settings → Runners lists a runner online, then offline once it is killed', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const row = page.getByTestId('runner-e2e-box');
  await expect(row.getByTestId('runner-state')).toHaveText('online');
  await expect(row).toContainText('/bin/true');
  await expect(row).toContainText(/\d+ of \d+/);
  await expect(page.getByText(`Runners on ${nats.url}`)).toBeVisible();

  agent.kill('SIGKILL');
  await expect(row.getByTestId('runner-state')).toHaveText('offline', { timeout: 30_000 });
});

test('a console without a NATS URL says how to see runners', async ({ page }) => {
  const plain = await serveConsole();
  try {
    await page.goto(plain.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByText('No NATS server configured.')).toBeVisible();
  } finally {
    await plain.stop();
  }
});
