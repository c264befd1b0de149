// Approving in context, end to end (real CLI, fake model): the approval card at the pending call in
// the goal's timeline with Claude's last message, the path relative to the workspace and a diff of
// the whole file with its own line numbers; the key guard (an `a` pressed as the card appears is
// ignored, a later one allows); the inbox shows the same card; risk badges; Allow with edits as a
// field with a live preview, recorded as "allowed with edits" with before/after in the timeline and
// the permission log; Deny & pause goal. Screenshots of each state go to test-results/screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { FakeReply, FakeRequestContext } from '../fake-model/server.js';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'test-results', 'screenshots');
const NOTES = Array.from({ length: 40 }, (_, index) => `note ${index + 1}`).join('\n') + '\n';
const SAID = 'Line 25 of the notes has a typo; I will fix it.';
const PAUSE_MESSAGE = 'Not that file; wait for me.';

let env: ConsoleWithModel;
let repo: FixtureRepo;

/** Turn 1: Read notes.txt, then text and an Edit of its line 25. Turn 2: a risky Bash. Turn 3: a Write of a new file. */
function script(ctx: FakeRequestContext): FakeReply {
  const result = ctx.lastToolResults[0];
  // Claude Code edits only files read first.
  if (result?.toolUseId === 'toolu_read_notes') {
    return {
      text: SAID,
      toolUses: [
        {
          id: 'toolu_edit_notes',
          name: 'Edit',
          input: { file_path: join(repo.path, 'notes.txt'), old_string: 'note 25\n', new_string: 'note twenty-five\n' },
        },
      ],
    };
  }
  if (result !== undefined) return { text: `Tool said: ${result.content.slice(0, 80)}` };
  const turn = Number(/\[Turn (\d+)\//.exec(ctx.lastUserText)?.[1] ?? '0');
  switch (turn) {
    case 1:
      return {
        toolUses: [{ id: 'toolu_read_notes', name: 'Read', input: { file_path: join(repo.path, 'notes.txt') } }],
      };
    case 2:
      return {
        text: 'Cleaning the build folder first.',
        toolUses: [{ name: 'Bash', input: { command: 'rm -rf build && echo original-run', description: 'clean' } }],
      };
    case 3:
      return {
        toolUses: [{ name: 'Write', input: { file_path: join(repo.path, 'fresh.txt'), content: 'a fresh file\n' } }],
      };
    default:
      return { text: 'Nothing more.' };
  }
}

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  repo = createFixtureRepo({ 'README.md': '# Fixture\n', 'notes.txt': NOTES });
  env = await consoleWithModel(script);
});
test.afterAll(async () => {
  await env?.close();
  repo?.remove();
});

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });

/** An axe check of the page as it is (WCAG 2.1 A and AA): no serious or critical violation. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 4)
          .map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
  expect.soft(serious, `axe on ${screen}`).toEqual([]);
}

/** Presses `a` (on the window, as a keyboard does) in every frame while the card has been shown for under 500 ms. */
async function pressAWhileNew(page: Page): Promise<void> {
  await page.evaluate(() => {
    const press = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    const watch = () => {
      const card = document.querySelector<HTMLElement>('.timeline-scroll [data-testid=prompt-detail][data-keys]');
      const shownAt = Number(card?.dataset['shownAt'] ?? 'NaN');
      if (card === null || Number.isNaN(shownAt)) return void requestAnimationFrame(watch);
      if (performance.now() - shownAt < 500) {
        press();
        requestAnimationFrame(watch);
      }
    };
    requestAnimationFrame(watch);
  });
}

test('the approval card in the timeline and the inbox: context, diff, key guard, edits, deny & pause', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(env.served.url);
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(repo.path);
  await form.getByLabel('Goal description').fill('APPROVAL tidy the notes');
  await form.getByLabel('Acceptance commands').fill('test -f never-created.txt');
  await form.getByLabel('Max turns').fill('4');
  await form.getByRole('radio', { name: /In place/ }).check();
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: 'APPROVAL tidy the notes' })).toBeVisible();

  // --- Turn 1: the card appears at the Edit; `a` pressed as it appears is ignored ---
  await pressAWhileNew(page);
  const card = timeline(page).getByTestId('prompt-detail');
  await expect(card).toBeVisible({ timeout: 90_000 });
  await expect(card.getByTestId('keys-state')).toContainText('was ignored');
  await expect(card).toHaveAttribute('data-keys', 'armed');
  await expect(card).toBeVisible();
  expect(repo.git('status', '--porcelain')).toBe('');
  // Claude's last message, the path relative to the workspace, the diff with the file's own line numbers.
  await expect(card.getByTestId('claude-said')).toContainText(SAID);
  await expect(card.getByTestId('tool-path')).toHaveText('notes.txt');
  await expect(card.getByTestId('change-preview')).toHaveAttribute('data-kind', 'file');
  await expect(card.locator('.diff-code-delete')).toContainText('note 25');
  await expect(card.locator('.diff-code-insert')).toContainText('note twenty-five');
  // A changed line's gutter holds its number, then its +/− marker ("25− removed").
  await expect(
    card
      .locator('.diff-gutter')
      .filter({ hasText: /^25(?!\d)/ })
      .first(),
  ).toBeVisible();
  await expect(card.locator('.diff-gutter').filter({ hasText: /^22$/ }).first()).toBeVisible();
  await expect(timeline(page).getByTestId('permission-decision').first()).toHaveText('waiting for you');
  await page.screenshot({ path: join(SHOTS, 'approval-card-timeline.png') });
  await expectAccessible(page, 'the approval card in the timeline');
  // The inbox shows the same card.
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  await expect(inbox.getByTestId('claude-said')).toContainText(SAID);
  await expect(inbox.getByTestId('tool-path')).toHaveText('notes.txt');
  await expectAccessible(page, 'the inbox');
  await page.keyboard.press('Escape');
  await expect(inbox).toBeHidden();
  // Now the key allows.
  await page.keyboard.press('a');
  await expect.poll(() => repo.git('diff', '--', 'notes.txt'), { timeout: 60_000 }).toContain('+note twenty-five');
  const editRow = timeline(page).locator('[data-tool-use-id=toolu_edit_notes]');
  await expect(editRow.getByTestId('permission-decision')).toHaveText('allowed by operator');
  await expect(editRow.getByTestId('mini-diff')).toContainText('note twenty-five');
  // One card per call: no separate permission row.
  await expect(timeline(page).locator('[data-kind=permission], [data-kind=decision]')).toHaveCount(0);

  // --- Turn 2: risk badge; Allow with edits as a field with a live preview ---
  const bashCard = timeline(page).getByTestId('prompt-detail');
  await expect(bashCard).toBeVisible({ timeout: 90_000 });
  await expect(bashCard.getByTestId('risk-badges').first()).toContainText('recursive delete');
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  await expect(inbox.getByRole('option').first()).toContainText('⚠ recursive delete');
  await expect(inbox.getByTestId('risk-badges').first()).toContainText('recursive delete');
  await page.keyboard.press('Escape');
  await expect(inbox).toBeHidden();
  await bashCard.getByRole('button', { name: 'Allow with edits' }).click();
  const edit = bashCard.getByRole('form', { name: 'Allow with edits' });
  await expect(edit.getByLabel('Command to run')).toHaveValue('rm -rf build && echo original-run');
  await expect(edit.getByTestId('edit-preview').getByTestId('risk-badges')).toContainText('recursive delete');
  await edit.getByLabel('Command to run').fill('seq 1 3000 && echo edited-run');
  await expect(edit.getByTestId('edit-preview')).toContainText('echo edited-run');
  await expect(edit.getByTestId('edit-preview').getByTestId('risk-badges')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'approval-allow-with-edits.png') });
  await expectAccessible(page, 'allow with edits');
  await edit.getByRole('button', { name: 'Allow edited' }).click();
  await expect
    .poll(
      () =>
        env.model.requests.some((request) =>
          request.lastToolResults.some((result) => result.content.includes('edited-run')),
        ),
      { timeout: 60_000 },
    )
    .toBe(true);
  expect(
    env.model.requests.some((request) =>
      request.lastToolResults.some((result) => result.content.includes('original-run')),
    ),
  ).toBe(false);
  const edited = timeline(page).getByTestId('edited-fields');
  await expect(edited).toBeVisible();
  await expect(edited).toContainText('rm -rf build && echo original-run');
  await expect(edited).toContainText('echo edited-run');
  await expect(timeline(page).getByText('allowed with edits by operator')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'timeline-allowed-with-edits.png') });
  await expectAccessible(page, 'the timeline with decisions');
  // Its 3,000-line output: loaded in full on demand and shown virtualized (only lines in view exist).
  const bashRow = timeline(page).locator('.row-tool', { has: page.getByTestId('edited-fields') });
  await bashRow.getByRole('button', { name: 'Show full result' }).click();
  const full = bashRow.getByTestId('virtual-lines');
  await expect(full).toHaveAttribute('data-lines', /^30\d\d$/);
  await expect(full.locator('.virtual-line').first()).toHaveText('1');
  expect(await full.locator('.virtual-line').count()).toBeLessThan(200);
  await bashRow.getByRole('button', { name: 'Collapse result' }).click();

  // --- Turn 3: a new file's Write; Deny & pause goal ---
  const writeCard = timeline(page).getByTestId('prompt-detail');
  await expect(writeCard).toBeVisible({ timeout: 90_000 });
  await expect(writeCard.getByTestId('tool-path')).toHaveText('fresh.txt');
  await expect(writeCard.getByTestId('change-preview')).toContainText('New file');
  await writeCard.getByLabel('Message to Claude').fill(PAUSE_MESSAGE);
  await writeCard.getByRole('button', { name: 'Deny & pause goal' }).click();
  await expect(page.getByRole('region', { name: 'Goal' }).getByTestId('goal-status')).toHaveText(/paused/i, {
    timeout: 60_000,
  });
  await expect(timeline(page).getByText(`denied by operator: ${PAUSE_MESSAGE} (turn ended)`)).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'timeline-deny-and-pause.png') });

  // The permission log says the same.
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const log = page.getByRole('table', { name: 'Permission requests' });
  await expect(log.getByRole('row', { name: /echo original-run/ })).toContainText('allowed with edits by operator');
  await expect(log.getByRole('row', { name: /echo original-run/ }).getByTestId('edited-fields')).toContainText(
    'echo edited-run',
  );
  await expect(log.getByRole('row', { name: /fresh\.txt/ })).toContainText(`denied by operator: ${PAUSE_MESSAGE}`);
  await page.screenshot({ path: join(SHOTS, 'permissions-log-edits.png') });
  await expectAccessible(page, 'the permission log');
  // The dark theme too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'the permission log (dark)');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(timeline(page).getByText('allowed with edits by operator')).toBeVisible();
  await expectAccessible(page, 'the timeline (dark)');
});
