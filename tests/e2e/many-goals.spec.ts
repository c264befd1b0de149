// More goals than the console's list holds (502 against 500): the sidebar lists the newest and its
// end says how many there are in all; a goal left out of the list is found by search and opens; the
// interrupted banner counts an interrupted goal the list left out, and Review opens it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { serveConsole, type ServedConsole } from '../helpers/serve.js';
import { seedGoals } from '../helpers/many-goals.js';

const COUNT = 502;
/** Interrupted: goal 1 is older than the newest 500, goal 5 is among them. */
const INTERRUPTED = [1, 5];
let root: string;
let served: ServedConsole;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-e2e-many-goals-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  seedGoals(dataDir, COUNT, (index) => (INTERRUPTED.includes(index) ? 'interrupted' : 'done'));
  served = await serveConsole({ dataDir });
});
test.afterAll(async () => {
  await served?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('502 goals: the sidebar shows the newest 500 and says so; search opens the oldest', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(served.url);
  const sidebar = page.getByRole('navigation', { name: 'Goals' });
  await expect(sidebar.getByTestId('goal-item').first()).toContainText(`Seeded goal number ${COUNT - 1}`);
  const leftOut = sidebar.getByTestId('goals-left-out');
  await leftOut.scrollIntoViewIfNeeded();
  await expect(leftOut).toBeVisible();
  await expect(leftOut).toHaveText(
    `Showing the newest 500 of ${COUNT} goals. Search (in the title bar) finds any goal.`,
  );

  const search = page.getByRole('searchbox', { name: 'Search goals and transcripts' });
  await search.fill('Seeded goal number 0');
  await search.press('Enter');
  const hits = page.getByRole('list', { name: 'Search results' });
  await expect(hits.getByRole('button')).toHaveCount(1);
  await hits.getByRole('button').click();
  await expect(page.getByRole('heading', { name: 'Seeded goal number 0', exact: true })).toBeVisible();
});

test('the interrupted banner counts an interrupted goal the list left out; Review opens the oldest', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(served.url);
  const banner = page.getByTestId('interrupted-banner');
  await expect(banner).toContainText('2 goals were interrupted');
  await banner.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('heading', { name: 'Seeded goal number 1', exact: true })).toBeVisible();
});
