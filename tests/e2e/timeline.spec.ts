// The timeline of a long goal (5,000 stored events seeded through the store API): it opens at the
// newest entry with only the newest page loaded and only the visible rows rendered; a cut message
// is loaded in full on demand; scrolling up pages older events in without moving what the
// operator is looking at, back to the goal's first event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { serveConsole, type ServedConsole } from '../helpers/serve.js';
import { LONG_TEXT, seedTimeline, type SeededGoal } from '../helpers/seed-timeline.js';

let dataDir: string;
let seeded: SeededGoal;
let served: ServedConsole;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'overseer-e2e-timeline-'));
  seeded = seedTimeline(dataDir, 5000, 'A long seeded goal');
  served = await serveConsole({ dataDir });
});
test.afterAll(async () => {
  await served?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const region = (page: Page) => page.getByRole('region', { name: 'Timeline' });
const status = (page: Page) => page.getByRole('status', { name: 'Timeline status' });

/** data-seq of the rows whose top edge is inside the timeline's viewport. */
async function visibleSeqs(page: Page): Promise<number[]> {
  return region(page).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return Array.from(element.querySelectorAll('[data-testid=timeline-row]'))
      .filter((row) => {
        const top = row.getBoundingClientRect().top;
        return top >= box.top && top < box.bottom;
      })
      .map((row) => Number(row.getAttribute('data-seq')));
  });
}

/** Scrolls down from where the timeline is until `text` is rendered, then checks it is visible. */
async function findBelow(page: Page, text: string) {
  const target = region(page).getByText(text).first();
  const settle = () =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  for (let i = 0; i < 100 && (await target.count()) === 0; i++) {
    await region(page).evaluate((element) => (element.scrollTop += 250));
    await settle();
  }
  await target.scrollIntoViewIfNeeded();
  await expect(target).toBeVisible();
}

test('a 5,000-event goal: newest page first, visible rows only, full text on demand, older pages in place', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  // The answers of the timeline's page requests, as they came over the WebSocket.
  const pageAnswers: string[] = [];
  const pageAsks = new Set<number>();
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const frame = /^\{"type":"invoke","id":(\d+),"channel":"goal\.events"/.exec(String(payload));
      if (frame?.[1] !== undefined) pageAsks.add(Number(frame[1]));
    });
    socket.on('framereceived', ({ payload }) => {
      const frame = /^\{"type":"result","id":(\d+)/.exec(String(payload));
      if (frame?.[1] !== undefined && pageAsks.delete(Number(frame[1]))) pageAnswers.push(String(payload));
    });
  });
  await page.goto(`${served.url}#/goal/${seeded.goalId}`);
  await expect(status(page)).toHaveText('200 of 5,000 events loaded');
  await expect(region(page).getByText(seeded.lastText).first()).toBeVisible();
  const rendered = await region(page).getByTestId('timeline-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(80);

  // A message cut to a preview (already by the host: the page that brought it carried only the
  // start); its full text comes from the host on demand.
  const longRow = region(page).getByTestId('timeline-row').filter({ hasText: 'Long report:' });
  await expect(longRow).not.toContainText('END-OF-LONG-MESSAGE');
  expect(pageAnswers.length).toBeGreaterThanOrEqual(1);
  expect(pageAnswers[0]).toContain('Long report:');
  expect(pageAnswers[0]).not.toContain('END-OF-LONG-MESSAGE');
  await longRow.getByRole('button', { name: 'Show full message' }).click();
  await expect(longRow).toContainText('END-OF-LONG-MESSAGE');
  expect(pageAnswers.some((answer) => answer.includes('END-OF-LONG-MESSAGE'))).toBe(true);
  // The whole message can be selected and copied as shown.
  expect(await longRow.locator('.prose').innerText()).toContain(`${LONG_TEXT.slice(0, 60)}`);
  expect(await longRow.locator('.prose').innerText()).toContain('END-OF-LONG-MESSAGE');
  await longRow.getByRole('button', { name: 'Collapse message' }).click();

  // At the top of the loaded rows the next 1,000 older events are paged in above, and the rows in
  // view stay in view (seq 1..5000 belong to this goal alone: the first page is 4801..5000).
  await region(page).evaluate((element) => (element.scrollTop = 0));
  await expect(status(page)).toHaveText('1,200 of 5,000 events loaded');
  await expect.poll(async () => Math.min(...(await visibleSeqs(page)))).toBeGreaterThan(4790);
  expect(await region(page).evaluate((element) => element.scrollTop)).toBeGreaterThan(10_000);

  // Keep going up to the first event of the goal.
  for (let i = 0; i < 20 && (await status(page).textContent()) !== '5,000 of 5,000 events loaded'; i++) {
    await region(page).evaluate((element) => (element.scrollTop = 0));
    await page.waitForTimeout(150);
  }
  await expect(status(page)).toHaveText('5,000 of 5,000 events loaded');
  await region(page).evaluate((element) => (element.scrollTop = 0));
  await expect(region(page).getByText('Beginning of the goal')).toBeVisible();
  await expect(region(page).getByText('Goal started')).toBeVisible();
  // Compaction, replay and sleep events of the first turns are there too.
  for (const text of [
    'Compaction requested (token pressure)',
    'Compaction finished',
    'Replay: next turn',
    'Sleeping 1s',
  ])
    await findBelow(page, text);
  expect(await region(page).getByTestId('timeline-row').count()).toBeLessThan(80);
});
