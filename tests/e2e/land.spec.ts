// From New goal to landed work in browser mode (real Chromium, the real Claude Code CLI against the
// fake model): a worktree goal with a setup command (its output shows in the timeline before the
// first turn), one turn that writes a file, then Land → Merge into main (squash): the user's
// checkout of main has the file, one new commit on main, and the goal shows landed. Screenshots of
// the setup phase and the Land panel go to artifacts/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleForSpec } from './spec-console.js';
import { createLandingFixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');

function script(ctx: FakeRequestContext) {
  if (ctx.lastToolResults.length > 0) return { text: 'Wrote the feature file.' };
  return {
    text: 'Writing feature.txt.',
    toolUses: [
      {
        name: 'Bash',
        input: { command: `printf 'landed feature\\n' > feature.txt`, description: 'write feature.txt' },
      },
    ],
  };
}

const spec = consoleForSpec(script, () => createLandingFixtureRepo(), { shotsDir: SHOTS });

test('new goal with a setup command, then Land → Merge into main', async ({ page }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(spec.env.served.url);
  const mainBefore = spec.repo.git('rev-parse', 'main').trim();

  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(spec.repo.path);
  await form.getByLabel('Repository folder').blur();
  await expect(page.getByTestId('repo-check')).toContainText('Git repository at');
  await form.getByLabel('Goal description').fill('Add the feature file');
  await form.getByLabel('Acceptance commands').fill('test -f feature.txt');
  await form.getByLabel('Max turns').fill('3');
  await form.getByLabel('Permission mode').selectOption('allow-all');
  await form.getByLabel('Setup commands').fill(`echo preparing the worktree && sleep 1 && echo setup ok`);
  await page.screenshot({ path: join(SHOTS, 'new-goal-setup.png') });
  await form.getByRole('button', { name: 'Start goal' }).click();

  await expect(page.getByRole('heading', { name: 'Add the feature file' })).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Setting up the worktree').first()).toBeVisible({ timeout: 60_000 });
  await expect(timeline.getByText(/setup ok/).first()).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: join(SHOTS, 'setup-phase.png') });
  await expect(page.locator('.goal-header').getByTestId('goal-status')).toHaveText('done', { timeout: 240_000 });

  await page.getByRole('tab', { name: 'Changes' }).click();
  const land = page.getByRole('region', { name: 'Land' });
  await expect(land.getByLabel('Commit message')).toHaveValue(/Add the feature file/, { timeout: 60_000 });
  await expect(land).toContainText('1 changed file(s) not committed anywhere');
  await page.screenshot({ path: join(SHOTS, 'land-panel.png') });
  await land.getByRole('button', { name: 'Merge into main' }).click();
  await expect(land.getByTestId('land-landed')).toContainText(/(fast-forwarded|squash-merged) into main/, {
    timeout: 60_000,
  });
  await page.screenshot({ path: join(SHOTS, 'land-merged.png') });

  expect(readFileSync(join(spec.repo.path, 'feature.txt'), 'utf8')).toBe('landed feature\n');
  expect(spec.repo.git('rev-parse', 'main^').trim()).toBe(mainBefore);
  expect(spec.repo.git('log', '-1', '--format=%s', 'main').trim()).toBe('Add the feature file');
  expect(spec.repo.git('status', '--porcelain')).toBe('');
});
