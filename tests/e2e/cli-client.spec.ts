// The CLI as a client of the open console: `overseer run` (the built CLI, no terminal) while the
// console is open in Chromium. The goal appears in the console and its timeline updates live; the
// permission prompt it raises waits in the console's inbox and is answered there; the CLI then
// ends with the goal done and says how to land it. Real Claude Code against the fake model.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleForSpec } from './spec-console.js';
import { createFixtureRepo } from '../helpers/fixture-repo.js';
import { builtCli, repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');
const GOAL = 'Started from the CLI: write cli-hello.txt';

function claudeCwd(ctx: FakeRequestContext): string {
  const match = /working directory: ([^\s\\"]+)/i.exec(JSON.stringify(ctx.body.system ?? '') + ctx.allUserText);
  if (match?.[1] === undefined) throw new Error('the request does not say the working directory');
  return match[1];
}

function script(ctx: FakeRequestContext) {
  if (ctx.lastToolResults.length > 0) return { text: 'Wrote it.' };
  return {
    text: 'Writing the file.',
    toolUses: [
      { name: 'Write', input: { file_path: `${claudeCwd(ctx)}/cli-hello.txt`, content: 'hello from the CLI\n' } },
    ],
  };
}

const spec = consoleForSpec(script, () => createFixtureRepo(), { shotsDir: SHOTS });

test('a goal started by the CLI shows live in the console, and its prompt is answered there', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(spec.env.served.url);
  await expect(page.getByRole('navigation', { name: 'Goals' })).toBeVisible();

  const child = spawn(
    process.execPath,
    [
      builtCli,
      'run',
      '--repo',
      spec.repo.path,
      '--goal',
      GOAL,
      '--accept',
      'test -f cli-hello.txt',
      '--max-turns',
      '3',
      '--data-dir',
      spec.env.dataDir,
    ],
    { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

  try {
    // The console lists the CLI's goal without a reload, and its timeline shows the turn running.
    const item = page.getByTestId('goal-item').filter({ hasText: GOAL });
    await expect(item).toBeVisible({ timeout: 60_000 });
    await item.click();
    await expect(page.getByRole('heading', { name: GOAL })).toBeVisible();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline.getByText('Writing the file.').first()).toBeVisible({ timeout: 60_000 });

    // The prompt waits in the console's inbox (the CLI has no terminal): allow it there.
    await expect(page.getByRole('button', { name: 'Permission inbox, 1 waiting' })).toBeVisible({ timeout: 60_000 });
    expect(stdout).toContain("waits for your answer in the console's inbox");
    await page.screenshot({ path: join(SHOTS, 'cli-goal-live.png') });
    await page.getByRole('button', { name: /^Permission inbox/ }).click();
    const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
    await expect(inbox.getByTestId('tool-input')).toContainText('cli-hello.txt');
    await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
    await expect(inbox.getByText('Nothing waiting for you.')).toBeVisible();
    await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();

    // The CLI follows the goal to its end; the console's timeline got the rest live.
    expect(await exited, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/✓ Write allowed \(operator\)/);
    expect(stdout).toMatch(/■ done after 1 turn/);
    expect(stdout).toMatch(/Land it: overseer land [0-9a-f]{8}/);
    await expect(timeline.getByText('Wrote it.').first()).toBeVisible({ timeout: 60_000 });
    await expect(item.getByText('done')).toBeVisible({ timeout: 60_000 });
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
});
