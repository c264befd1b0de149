// `overseer land --merge` as a client of the open console (browser mode, real Chromium, the real
// Claude Code CLI against the fake model): a goal run from the CLI through the console's host is
// done; with its Land panel open in the console, the built CLI merges it into main. main moves by
// one commit with the goal's file in the user's checkout, and the console shows the landing live
// (the Land panel and the timeline) without a reload.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleForSpec } from './spec-console.js';
import { createLandingFixtureRepo } from '../helpers/fixture-repo.js';
import { builtCli, repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');
const GOAL = 'Add the merged feature from the CLI';

function script(ctx: FakeRequestContext) {
  if (ctx.lastToolResults.length > 0) return { text: 'Wrote the feature file.' };
  return {
    text: 'Writing feature.txt.',
    toolUses: [
      {
        name: 'Bash',
        input: { command: `printf 'merged from the CLI\\n' > feature.txt`, description: 'write feature.txt' },
      },
    ],
  };
}

/** Runs the built CLI to its end; resolves with its exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [builtCli, ...args], {
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const spec = consoleForSpec(script, () => createLandingFixtureRepo(), { shotsDir: SHOTS });

test('overseer land --merge through the open console moves main and the console shows it', async ({ page }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(spec.env.served.url);
  await expect(page.getByRole('navigation', { name: 'Goals' })).toBeVisible();
  const mainBefore = spec.repo.git('rev-parse', 'main').trim();

  const run = await cli([
    'run',
    '--repo',
    spec.repo.path,
    '--goal',
    GOAL,
    '--accept',
    'test -f feature.txt',
    '--max-turns',
    '3',
    '--permissions',
    'allow',
    '--data-dir',
    spec.env.dataDir,
  ]);
  expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
  const goalId = /Land it: overseer land ([0-9a-f]{8})/.exec(run.stdout)?.[1];
  expect(goalId).toBeDefined();

  const item = page.getByTestId('goal-item').filter({ hasText: GOAL });
  await expect(item.getByText('done')).toBeVisible({ timeout: 60_000 });
  await item.click();
  await page.getByRole('tab', { name: 'Changes' }).click();
  const land = page.getByRole('region', { name: 'Land' });
  await expect(land).toContainText('1 changed file(s) not committed anywhere', { timeout: 60_000 });
  await expect(land.getByTestId('land-landed')).toHaveCount(0);

  const merge = await cli(['land', goalId ?? '', '--merge', '--data-dir', spec.env.dataDir]);
  expect(merge.code, `stdout:\n${merge.stdout}\nstderr:\n${merge.stderr}`).toBe(0);
  expect(merge.stdout).toMatch(/(fast-forwarded|squash-merged) into main/);

  // The branch moved: one new commit on main, the file in the user's checkout, nothing left over.
  expect(spec.repo.git('rev-parse', 'main^').trim()).toBe(mainBefore);
  expect(spec.repo.git('log', '-1', '--format=%s', 'main').trim()).toBe(GOAL);
  expect(readFileSync(join(spec.repo.path, 'feature.txt'), 'utf8')).toBe('merged from the CLI\n');
  expect(spec.repo.git('status', '--porcelain')).toBe('');

  // The console shows the landing live: the Land panel and the timeline, no reload.
  await expect(land.getByTestId('land-landed')).toContainText(/(fast-forwarded|squash-merged) into main/, {
    timeout: 60_000,
  });
  await expect(land).toContainText('0 changed file(s) not committed anywhere');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText('Landed: merge').first()).toBeVisible({
    timeout: 60_000,
  });
  await page.screenshot({ path: join(SHOTS, 'cli-land-merged.png') });
});
