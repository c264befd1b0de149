// The Land panel's conflict path in the console (browser mode, real Chromium, the real Claude Code
// CLI against the fake model): a done goal whose readme conflicts with main. Rebase lists the file
// with how it conflicts and changes nothing; "Hand the conflict to Claude" with 2 extra turns runs
// the same goal again (Claude rebases in the worktree); Rebase then finds it on top of main and
// Merge lands both sides. Also: the editor command is saved in Settings and read back after a
// reload. Screenshots of the conflict list and the hand-off go to artifacts/screenshots/.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleForSpec } from './spec-console.js';
import { createLandingFixtureRepo } from '../helpers/fixture-repo.js';
import { builtCli, repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');
const GOAL = 'Write the feature and a goal readme';
const RESOLVE = [
  'git add -A && git commit -qm "Work in progress"',
  '(git rebase main > /dev/null 2>&1 || (printf "# merged readme\\n" > README.md && git add README.md && GIT_EDITOR=true git rebase --continue))',
].join(' && ');

function script(ctx: FakeRequestContext) {
  const handed = ctx.allUserText.includes('Rebasing this work onto the latest main');
  if (ctx.lastToolResults.length > 0)
    return { text: handed ? 'Rebased onto main, both readmes kept.' : 'Wrote the files.' };
  if (!handed)
    return {
      text: 'Writing the files.',
      toolUses: [
        {
          name: 'Bash',
          input: {
            command: `printf 'feature\\n' > feature.txt && printf '# goal readme\\n' > README.md`,
            description: 'write',
          },
        },
      ],
    };
  return {
    text: 'Bringing main in.',
    toolUses: [{ name: 'Bash', input: { command: RESOLVE, description: 'rebase onto main' } }],
  };
}

function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [builtCli, ...args], {
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const spec = consoleForSpec(script, () => createLandingFixtureRepo(), { shotsDir: SHOTS });

test('a rebase conflict is listed per file and handed to Claude after the goal ended; then rebase and merge', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(spec.env.served.url);
  await expect(page.getByRole('navigation', { name: 'Goals' })).toBeVisible();

  const run = await cli([
    'run',
    '--repo',
    spec.repo.path,
    '--goal',
    GOAL,
    '--accept',
    'test -f feature.txt',
    '--max-turns',
    '1',
    '--permissions',
    'allow',
    '--data-dir',
    spec.env.dataDir,
  ]);
  expect(run.code, run.output).toBe(0);
  // main moves: its readme conflicts with the goal's.
  const readme = join(spec.repo.path, 'README.md');
  writeFileSync(readme, '# main readme\n');
  spec.repo.git('commit', '-qam', 'main readme');

  const item = page.getByTestId('goal-item').filter({ hasText: GOAL });
  await expect(item.getByText('done')).toBeVisible({ timeout: 60_000 });
  await item.click();
  await page.getByRole('tab', { name: 'Changes' }).click();
  const land = page.getByRole('region', { name: 'Land' });
  await expect(land).toContainText('main moved since the goal started', { timeout: 60_000 });
  const mainBefore = spec.repo.git('rev-parse', 'main').trim();

  await land.getByRole('button', { name: 'Rebase onto main' }).click();
  await expect(land.getByTestId('land-conflict')).toHaveText([
    'README.md: changed by the goal and on main (both modified)',
  ]);
  await expect(land.getByLabel('Note for Claude')).toHaveValue(
    /- README.md: changed by the goal and on main \(both modified\)/,
  );
  expect(spec.repo.git('rev-parse', 'main').trim()).toBe(mainBefore);
  await land.getByLabel('Extra turns').fill('2');
  await page.screenshot({ path: join(SHOTS, 'land-conflict.png') });
  await land.getByRole('button', { name: 'Hand the conflict to Claude (up to 2 more turns)' }).click();
  await expect(land.getByRole('status').filter({ hasText: 'Claude continues the goal' })).toContainText(
    'up to 2 more turns (turn 2 of 3 next)',
  );
  await page.screenshot({ path: join(SHOTS, 'land-conflict-handed.png') });

  // The same goal runs its second turn and is done again.
  await expect(page.locator('.goal-header').getByTestId('goal-status')).toHaveText('done', { timeout: 240_000 });
  await expect(land.getByRole('button', { name: 'Rebase onto main' })).toBeEnabled({ timeout: 60_000 });
  await land.getByRole('button', { name: 'Rebase onto main' }).click();
  await expect(land.getByRole('status').filter({ hasText: 'already on top of main' })).toBeVisible({ timeout: 60_000 });
  await land.getByRole('button', { name: 'Merge into main' }).click();
  await expect(land.getByTestId('land-landed')).toContainText(/(fast-forwarded|squash-merged) into main/, {
    timeout: 60_000,
  });
  expect(readFileSync(readme, 'utf8')).toBe('# merged readme\n');
  expect(readFileSync(join(spec.repo.path, 'feature.txt'), 'utf8')).toBe('feature\n');
  expect(spec.repo.git('log', '-1', '--format=%s', 'main').trim()).toBe(GOAL);
});

test('the editor command is saved in Settings and read back', async ({ page }) => {
  await page.goto(spec.env.served.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const field = page.getByLabel('Editor command');
  await expect(field).toHaveValue('');
  await expect(page.getByTestId('editor-command-help')).toContainText('Empty: the first found of');
  await field.fill('code --new-window');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('Editor command')).toHaveValue('code --new-window');
});
