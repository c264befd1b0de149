// More goals than the console's list holds (502 against 500): the sidebar lists the newest and its
// end says how many there are in all; a goal left out of the list is found by search and opens; the
// interrupted banner counts an interrupted goal the list left out, and Review opens it. At the
// console's start the sidebar shows the newest 50 before the whole list is in.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { serveConsole, type ServedConsole } from '../helpers/serve.js';
import { ClientFrameSchema, ServerFrameSchema } from '../../src/shared/wire.js';
import { SOCKET_PATH } from '../../src/shared/socket-auth.js';
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

test('at start the sidebar shows the newest 50 goals before the whole list is in', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  // Between the page and the host: every frame passes, except the answer to the whole goal list,
  // held until the test lets it go.
  const asked: unknown[] = [];
  let wholeListId: number | null = null;
  let releaseWholeList: () => void = () => undefined;
  const wholeListHeld = new Promise<void>((resolve) => (releaseWholeList = resolve));
  await page.routeWebSocket(
    (url) => url.pathname === SOCKET_PATH,
    (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = ClientFrameSchema.parse(JSON.parse(String(message)));
        if (frame.type === 'invoke' && frame.channel === 'goals.list') {
          asked.push(frame.payload);
          if (z.object({}).strict().safeParse(frame.payload).success) wholeListId = frame.id;
        }
        server.send(message);
      });
      server.onMessage((message) => {
        const frame = ServerFrameSchema.parse(JSON.parse(String(message)));
        if (frame.type === 'result' && frame.id === wholeListId) void wholeListHeld.then(() => ws.send(message));
        else ws.send(message);
      });
    },
  );
  await page.goto(served.url);
  const sidebar = page.getByRole('navigation', { name: 'Goals' });
  await expect(sidebar.getByTestId('goal-item').first()).toContainText(`Seeded goal number ${COUNT - 1}`);
  // The newest 50 were asked first, the whole list after them (the interrupted goals on their own).
  expect(asked[0]).toEqual({ limit: 50 });
  await expect
    .poll(() => asked.findIndex((payload) => z.object({}).strict().safeParse(payload).success))
    .toBeGreaterThan(0);
  // Only the newest 50 are in: the sidebar does not say yet how many it leaves out, and the overview
  // (which counts every goal) waits for the whole list.
  await expect(sidebar.getByTestId('goals-left-out')).toHaveCount(0);
  await expect(page.getByText(/goals in all/)).toHaveCount(0);

  releaseWholeList();
  const leftOut = sidebar.getByTestId('goals-left-out');
  await leftOut.scrollIntoViewIfNeeded();
  await expect(leftOut).toHaveText(
    `Showing the newest 500 of ${COUNT} goals. Search (in the title bar) finds any goal.`,
  );
  // The overview counts every goal, not only the listed ones.
  await expect(page.getByText(`${COUNT} goals in all.`, { exact: false })).toBeVisible();
});
