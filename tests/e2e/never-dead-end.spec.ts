// Never a dead end, and live while a turn runs, end to end: browser mode in real Chromium, the real
// Claude Code CLI against the scripted fake model. A goal started in the console waits for a
// prompt (status line "Waiting for you · Bash", its tool row not "running", the tab title counting
// it, the home page listing it), then pauses at its turns cap (the cap panel, "paused at cap", the
// home page), goes on with "+1 turn and continue", ends with "End", and continues with a note (same
// session) until its check passes; its usage charts show each turn; the home page then offers it as
// ready to land. Screenshots of
// the new states go to artifacts/screenshots/.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleForSpec } from './spec-console.js';
import { createFixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');
const NOTE = 'CONTINUE-NOTE: create done.txt and finish.';

function script(ctx: FakeRequestContext) {
  if (ctx.lastToolResults.length > 0) return { text: 'Step done.' };
  if (ctx.lastUserText.includes('CONTINUE-NOTE'))
    return {
      text: 'Creating done.txt.',
      toolUses: [{ name: 'Bash', input: { command: "printf 'ok\\n' > done.txt", description: 'finish' } }],
    };
  if (ctx.lastUserText.includes('[Turn 1/'))
    return {
      text: 'Writing live.txt.',
      toolUses: [{ name: 'Bash', input: { command: "printf 'hi\\n' > live.txt", description: 'first step' } }],
    };
  return { text: 'Nothing more to do.' };
}

const spec = consoleForSpec(script, () => createFixtureRepo(), { shotsDir: SHOTS });

async function allowInInbox(page: Page) {
  await expect(page.getByRole('button', { name: 'Permission inbox, 1 waiting' })).toBeVisible({ timeout: 90_000 });
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(inbox.getByText('Nothing waiting for you.')).toBeVisible();
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();
}

const home = (page: Page) => page.getByRole('banner').getByRole('link', { name: 'Overseer' }).click();

test('waits live for a prompt, pauses at its cap, extends, ends, continues with a note, is ready to land', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(spec.env.served.url);
  await expect(page.getByTestId('home-needs')).toContainText('Nothing waits for you.');

  // --- A console goal pauses at caps by default ---
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(spec.repo.path);
  await form.getByLabel('Goal description').fill('LIVE-GOAL: write live.txt');
  await form.getByLabel('Acceptance commands').fill('test -f done.txt');
  await form.getByLabel('Max turns').fill('1');
  await expect(form.getByRole('radio', { name: /Pause and ask me/ })).toBeChecked();
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: 'LIVE-GOAL: write live.txt' })).toBeVisible();
  const goalUrl = page.url();

  // --- Live: waiting for you, not "running"; the tab title counts the prompt ---
  const status = page.getByTestId('turn-status');
  await expect(status).toHaveText(/^Waiting for you · Bash · \d+ s$/, { timeout: 90_000 });
  await expect(page.getByRole('region', { name: 'Timeline' }).getByTestId('permission-decision').first()).toHaveText(
    'waiting for you',
  );
  await expect(page).toHaveTitle('(1) Overseer');
  const first = await status.textContent();
  await expect.poll(async () => (await status.textContent()) !== first, { timeout: 10_000 }).toBe(true); // it ticks
  await page.screenshot({ path: join(SHOTS, 'live-waiting-for-you.png') });

  await home(page);
  const needs = page.getByTestId('home-needs');
  await expect(needs).toContainText('Bash waits for your approval');
  await expect(needs).toContainText('LIVE-GOAL');
  await expect(page.getByTestId('home-running')).toContainText('LIVE-GOAL');
  await expect(page.getByText('Ping host')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'home-needs-you.png') });
  await allowInInbox(page);
  await expect(page).toHaveTitle('Overseer');

  // --- Paused at the turns cap ---
  await expect(needs).toContainText('Paused at its turns cap', { timeout: 90_000 });
  await page.screenshot({ path: join(SHOTS, 'home-paused-at-cap.png') });
  await page.goto(goalUrl);
  const cap = page.getByTestId('cap-panel');
  await expect(cap).toContainText('Paused at the turns cap');
  await expect(cap).toContainText('1 of 1 turns used');
  await expect(page.getByTestId('goal-status').first()).toHaveText('paused at cap');
  await expect(status).toHaveText('Paused at the turns cap · waiting for you');
  await expect(
    page.getByRole('toolbar', { name: 'Goal controls' }).getByRole('button', { name: 'Resume' }),
  ).toHaveCount(0);
  await expect(page.getByTestId('meter-tokens')).not.toHaveText(/^0 of/);
  await page.screenshot({ path: join(SHOTS, 'paused-at-cap.png') });

  // --- +1 turn and continue: one more turn, then the new cap; End ends it ---
  await cap.getByLabel('Add turns').fill('1');
  await cap.getByRole('button', { name: '+1 turn and continue' }).click();
  await expect(page.getByTestId('meter-turns')).toHaveText('2 of 2', { timeout: 90_000 });
  await expect(cap).toContainText('2 of 2 turns used');
  await cap.getByRole('button', { name: 'End' }).click();
  await expect(page.getByTestId('goal-status').first()).toHaveText('budget exhausted', { timeout: 60_000 });
  await expect(cap).toHaveCount(0);

  // --- Continue with a note: same session, the check passes ---
  await page.getByRole('button', { name: 'Continue with a note…' }).click();
  const panel = page.getByTestId('continue-panel');
  await panel.getByLabel('Note for Claude').fill(NOTE);
  await expect(panel.getByLabel('More turns')).toHaveValue('5');
  await page.screenshot({ path: join(SHOTS, 'continue-with-note.png') });
  await panel.getByRole('button', { name: 'Continue' }).click();
  await allowInInbox(page);
  await expect(page.getByTestId('goal-status').first()).toHaveText('done', { timeout: 90_000 });
  const continued = spec.env.model.requests.find((request) => request.lastUserText.includes('CONTINUE-NOTE'));
  expect(continued?.lastUserText).toContain('[Turn 3/');
  expect(JSON.stringify(continued?.body.messages)).toContain('Writing live.txt.');
  await expect(
    page.getByRole('region', { name: 'Timeline' }).getByText('Continued with your note').first(),
  ).toBeAttached();

  // --- Usage charts: tokens and cost per turn, and so far against the cap ---
  await page.getByRole('tab', { name: 'Turns' }).click();
  await expect(page.getByTestId('chart-tokens-per-turn')).toHaveAttribute('aria-label', /turn 1: .*turn 2: .*turn 3: /);
  await expect(page.getByTestId('chart-tokens-cumulative')).toHaveAttribute('aria-label', /cap 2\.00M/);
  await page.screenshot({ path: join(SHOTS, 'usage-charts.png') });

  await home(page);
  await expect(page.getByTestId('home-ready')).toContainText('LIVE-GOAL');
  await expect(page.getByTestId('home-ready').getByRole('link', { name: 'Review and land' })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'home-ready-to-land.png') });
});
