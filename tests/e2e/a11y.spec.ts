// Accessibility over every screen, end to end (real CLI, fake model): an axe check (WCAG 2.1 A and
// AA, zero serious or critical violations) of home, a goal view running with a prompt and one
// ended, the inbox, a turn's diff dialog, the land panel, New goal empty and with errors, search,
// settings and the page a tab without a token shows, in the light and the dark theme. Also the skip
// link (the first thing Tab reaches) and focus going back to the opener when a dialog closes.
// Screenshots of the dark theme go to artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { FakeReply, FakeRequestContext } from '../fake-model/server.js';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';
import { expectNoSeriousA11yViolations, startGoalFromForm } from './console-goals.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');

let env: ConsoleWithModel;
let repo: FixtureRepo;

/** A11Y-DONE writes done.txt (its acceptance) with Bash; A11Y-RUN asks for a Bash command and waits. */
function script(ctx: FakeRequestContext): FakeReply {
  if (ctx.lastToolResults.length > 0) return { text: 'Done with that.' };
  const file = ctx.lastUserText.includes('A11Y-DONE') ? 'done.txt' : 'run.txt';
  return { toolUses: [{ name: 'Bash', input: { command: `printf 'ok\\n' > ${file}`, description: 'write' } }] };
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

const goalIdOf = (page: Page): string => decodeURIComponent(/#\/goal\/([^/?]+)/.exec(page.url())?.[1] ?? '');

async function openHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => (window.location.hash = target), hash);
}

test('axe over every screen in both themes; skip link; focus back to the opener after dialogs', async ({ page }) => {
  test.setTimeout(1_500_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(env.served.url);

  // The skip link is the first thing Tab reaches and moves focus to the content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#content')).toBeFocused();

  // An ended goal with a change (its Bash approved in the timeline card).
  await startGoalFromForm(page, {
    repoPath: repo.path,
    description: 'A11Y-DONE write the file',
    acceptance: 'test -f done.txt',
    maxTurns: '2',
  });
  const doneId = goalIdOf(page);
  const card = page.getByRole('region', { name: 'Timeline' }).getByTestId('prompt-detail');
  await expect(card).toBeVisible({ timeout: 90_000 });
  await card.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(page.getByTestId('goal-status').first()).toHaveText('done', { timeout: 90_000 });
  // A goal running and waiting for a decision.
  await startGoalFromForm(page, {
    repoPath: repo.path,
    description: 'A11Y-RUN wait for me',
    acceptance: 'test -f never.txt',
    maxTurns: '2',
  });
  const runId = goalIdOf(page);
  await expect(card).toBeVisible({ timeout: 90_000 });
  // The sidebar's sparkline of the ended goal's tokens per turn, named with its numbers.
  const doneItem = page
    .getByRole('navigation', { name: 'Goals' })
    .getByTestId('goal-item')
    .filter({ hasText: 'A11Y-DONE' });
  await expect(doneItem.getByRole('img', { name: /^Tokens per turn: \S+$/ })).toBeVisible();

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const shot = async (name: string) => {
      if (theme === 'dark') await page.screenshot({ path: join(SHOTS, `a11y-dark-${name}.png`) });
    };

    await openHash(page, '#/');
    await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, `home (${theme})`);
    await shot('home');

    await openHash(page, `#/goal/${runId}`);
    await expect(card).toBeVisible();
    await expectNoSeriousA11yViolations(page, `goal view, running with a prompt (${theme})`);
    await shot('goal-running');

    // The inbox; closing it puts focus back on the button that opened it.
    const inboxButton = page.getByRole('button', { name: /^Permission inbox/ });
    await inboxButton.click();
    const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
    await expect(inbox.getByTestId('prompt-detail')).toBeVisible();
    await expectNoSeriousA11yViolations(page, `inbox (${theme})`);
    await shot('inbox');
    await page.keyboard.press('Escape');
    await expect(inbox).toBeHidden();
    await expect(inboxButton).toBeFocused();

    await openHash(page, `#/goal/${doneId}`);
    await expect(page.getByRole('heading', { name: 'A11Y-DONE write the file' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, `goal view, ended (${theme})`);
    await shot('goal-done');

    // A turn's diff dialog; closing it puts focus back on its button.
    await openHash(page, `#/goal/${doneId}/turns`);
    const diffButton = page.getByRole('button', { name: 'Open diff of turn 1' });
    await diffButton.click();
    const diff = page.getByRole('dialog', { name: 'Changes in turn 1' });
    await expect(diff.getByText('done.txt').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, `diff dialog (${theme})`);
    await shot('diff-dialog');
    await page.keyboard.press('Escape');
    await expect(diff).toBeHidden();
    await expect(diffButton).toBeFocused();

    await openHash(page, `#/goal/${doneId}/changes`);
    await expect(page.getByRole('region', { name: 'Land' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Land' }).getByRole('button').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, `changes and land panel (${theme})`);
    await shot('land');

    await openHash(page, '#/new');
    const form = page.getByRole('form', { name: 'New goal' });
    await expect(form.getByLabel('Repository folder')).toBeVisible();
    await expectNoSeriousA11yViolations(page, `new goal (${theme})`);
    await form.getByRole('button', { name: 'Start goal' }).click();
    await expect(form.getByLabel('Repository folder')).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousA11yViolations(page, `new goal with errors (${theme})`);
    await shot('new-goal-errors');

    await openHash(page, '#/search?q=A11Y');
    await expect(page.getByRole('searchbox').last()).toBeVisible();
    await expect(page.getByText('A11Y-DONE write the file').last()).toBeVisible();
    await expectNoSeriousA11yViolations(page, `search (${theme})`);
    await shot('search');

    await openHash(page, '#/settings');
    await expect(page.getByRole('form', { name: 'Settings' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, `settings (${theme})`);
    await shot('settings');
  }

  // A tab without the token, both themes.
  const bare = await page.context().newPage();
  for (const theme of ['light', 'dark'] as const) {
    await bare.emulateMedia({ colorScheme: theme });
    await bare.goto(`${env.served.origin}/`);
    await expect(bare.getByTestId('access-needed')).toContainText('npm start');
    await expectNoSeriousA11yViolations(bare, `a tab without the token (${theme})`);
  }
  await bare.screenshot({ path: join(SHOTS, 'a11y-dark-access-needed.png') });
  await bare.close();
});
