// Layout, end to end (real CLI, fake model): the compact goal header leaves the timeline most of a
// 1024×700 window; the goals sidebar collapses by button and by Ctrl+B and the choice survives a
// reload; at 800 px the sidebar starts collapsed and nothing scrolls sideways. Screenshots of each
// state go to artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { FakeReply, FakeRequestContext } from '../fake-model/server.js';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';
import { horizontalOverflow, startGoalFromForm } from './console-goals.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');

let env: ConsoleWithModel;
let repo: FixtureRepo;

/** Every turn asks to write a file with Bash, so the goal waits for the operator (running). */
function script(ctx: FakeRequestContext): FakeReply {
  if (ctx.lastToolResults.length > 0) return { text: 'Written.' };
  return { toolUses: [{ name: 'Bash', input: { command: "printf 'hi\\n' > layout.txt", description: 'write' } }] };
}

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  repo = createFixtureRepo({ 'README.md': '# Fixture\n' });
  env = await consoleWithModel(script);
});
test.afterAll(async () => {
  await env?.close();
  repo?.remove();
});

test('compact goal header, collapsible sidebar, an 800 px layout', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(env.served.url);
  // Wide enough: the sidebar starts open.
  const sidebar = page.getByRole('navigation', { name: 'Goals' });
  await expect(sidebar).toBeVisible();
  await startGoalFromForm(page, {
    repoPath: repo.path,
    description: 'LAYOUT list the files',
    acceptance: 'test -f never-there.txt',
    maxTurns: '3',
    inPlace: true,
  });
  await expect(page.getByTestId('goal-status').first()).toHaveText(/running|waiting/, { timeout: 90_000 });
  await expect(page.getByRole('region', { name: 'Timeline' }).getByTestId('prompt-detail')).toBeVisible({
    timeout: 90_000,
  });

  // The header (title, activity, facts, meter chips, controls) is compact; the timeline gets the rest.
  const top = await page.getByTestId('goal-top').boundingBox();
  const scroll = await page.locator('.timeline-scroll').boundingBox();
  expect(top).not.toBeNull();
  expect(scroll).not.toBeNull();
  expect(top?.height ?? Infinity).toBeLessThan(160);
  expect(scroll?.height ?? 0).toBeGreaterThan(top?.height ?? Infinity);
  expect(scroll?.height ?? 0).toBeGreaterThan(700 / 2);
  // Meter chips in one row, controls in one row.
  const chipTops = await page
    .getByRole('list', { name: 'Budget' })
    .getByRole('listitem')
    .evaluateAll((items) => items.map((item) => Math.round(item.getBoundingClientRect().top)));
  expect(chipTops.length).toBe(6);
  expect(new Set(chipTops).size).toBe(1);
  const controlTops = await page
    .getByRole('toolbar', { name: 'Goal controls' })
    .getByRole('button')
    .evaluateAll((buttons) => buttons.map((button) => Math.round(button.getBoundingClientRect().top)));
  expect(new Set(controlTops).size).toBe(1);
  await page.screenshot({ path: join(SHOTS, 'layout-goal-1024x700.png') });

  // The sidebar collapses by its button and by Ctrl+B; the choice is remembered across a reload.
  const toggle = page.getByRole('button', { name: 'Hide goals sidebar' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(sidebar).toBeHidden();
  await expect(page.getByRole('button', { name: 'Show goals sidebar' })).toHaveAttribute('aria-expanded', 'false');
  await page.screenshot({ path: join(SHOTS, 'layout-sidebar-collapsed.png') });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'LAYOUT list the files' })).toBeVisible();
  await expect(sidebar).toBeHidden();
  await page.locator('body').click({ position: { x: 600, y: 650 } });
  await page.keyboard.press('Control+b');
  await expect(sidebar).toBeVisible();
  await page.keyboard.press('Control+b');
  await expect(sidebar).toBeHidden();
  await page.keyboard.press('Control+b');
  await expect(sidebar).toBeVisible();
  await expect(sidebar.getByTestId('goal-item')).toHaveCount(1);

  // At 800 px, with no choice remembered, the sidebar starts collapsed and nothing scrolls sideways.
  await page.evaluate(() => window.localStorage.removeItem('overseer.sidebarCollapsed'));
  await page.setViewportSize({ width: 800, height: 700 });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'LAYOUT list the files' })).toBeVisible();
  await expect(sidebar).toBeHidden();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByTestId('prompt-detail')).toBeVisible();
  expect(await horizontalOverflow(page)).toEqual({ document: 0, content: 0 });
  await page.screenshot({ path: join(SHOTS, 'layout-800.png') });
  // Opened at 800 px it still fits.
  await page.getByRole('button', { name: 'Show goals sidebar' }).click();
  await expect(sidebar).toBeVisible();
  await expect(sidebar.getByTestId('goal-item')).toHaveCount(1);
  expect(await horizontalOverflow(page)).toEqual({ document: 0, content: 0 });
  await page.screenshot({ path: join(SHOTS, 'layout-800-sidebar.png') });
  for (const view of ['#/', '#/new', '#/settings', '#/search?q=LAYOUT']) {
    await page.evaluate((hash) => (window.location.hash = hash), view);
    await expect(page.locator('main .view').first()).toBeVisible();
    expect(await horizontalOverflow(page), `sideways scroll at 800 px on ${view}`).toEqual({ document: 0, content: 0 });
  }
});
