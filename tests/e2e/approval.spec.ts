// Approving in context, end to end (real CLI, fake model): the approval card at the pending call in
// the goal's timeline with Claude's last message, the path relative to the workspace and a diff of
// the whole file with its own line numbers; the key guard (an `a` pressed as the card appears is
// ignored, a later one allows); the inbox shows the same card; risk badges; Allow with edits as a
// field with a live preview, recorded as "allowed with edits" with before/after in the timeline and
// the permission log; Deny & pause goal. Screenshots of each state go to test-results/screenshots.
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { FakeReply, FakeRequestContext } from '../fake-model/server.js';
import { createFixtureRepo } from '../helpers/fixture-repo.js';
import { expectNoSeriousA11yViolations, startGoalFromForm } from './console-goals.js';
import { consoleForSpec } from './spec-console.js';
import { repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'test-results', 'screenshots');
const NOTES = Array.from({ length: 40 }, (_, index) => `note ${index + 1}`).join('\n') + '\n';
const SAID = 'Line 25 of the notes has a typo; I will fix it.';
const PAUSE_MESSAGE = 'Not that file; wait for me.';

/** One page for the whole goal: the steps below are one story, split so each has its own time budget. */
let context: BrowserContext;
let page: Page;
// A ceiling for each step that only catches hangs: a turn of the real CLI on a loaded 2-core machine
// can take minutes without anything being wrong.
const STEP_TIMEOUT = 600_000;
const TURN_TIMEOUT = 300_000;

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
          input: {
            file_path: join(spec.repo.path, 'notes.txt'),
            old_string: 'note 25\n',
            new_string: 'note twenty-five\n',
          },
        },
      ],
    };
  }
  if (result !== undefined) return { text: `Tool said: ${result.content.slice(0, 80)}` };
  const turn = Number(/\[Turn (\d+)\//.exec(ctx.lastUserText)?.[1] ?? '0');
  switch (turn) {
    case 1:
      return {
        toolUses: [{ id: 'toolu_read_notes', name: 'Read', input: { file_path: join(spec.repo.path, 'notes.txt') } }],
      };
    case 2:
      return {
        text: 'Cleaning the build folder first.',
        toolUses: [{ name: 'Bash', input: { command: 'rm -rf build && echo original-run', description: 'clean' } }],
      };
    case 3:
      return {
        toolUses: [
          { name: 'Write', input: { file_path: join(spec.repo.path, 'fresh.txt'), content: 'a fresh file\n' } },
        ],
      };
    default:
      return { text: 'Nothing more.' };
  }
}

const spec = consoleForSpec(script, () => createFixtureRepo({ 'README.md': '# Fixture\n', 'notes.txt': NOTES }), {
  shotsDir: SHOTS,
});
test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  // Through a context of its own: axe needs one (browser.newPage's implicit context will not do).
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
});
test.afterAll(async () => {
  await context?.close();
});

const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });

/**
 * Presses `a` (on the window, as a keyboard does) as the card appears and again on every task while
 * it has been shown for less than the key guard (600 ms) minus a margin. Tasks, not animation frames:
 * a loaded machine can space frames wider than the guard itself. A MutationObserver notices the card,
 * so nothing polls while the turn is on its way.
 */
async function pressAWhileNew(page: Page): Promise<void> {
  await page.evaluate(() => {
    const PRESS_WINDOW_MS = 580;
    const press = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    const newCard = (): { shownAt: number } | null => {
      const card = document.querySelector<HTMLElement>('.timeline-scroll [data-testid=prompt-detail][data-keys]');
      const shownAt = Number(card?.dataset['shownAt'] ?? 'NaN');
      return card === null || Number.isNaN(shownAt) ? null : { shownAt };
    };
    const channel = new MessageChannel();
    const pressWhileNew = (shownAt: number) => {
      if (performance.now() - shownAt >= PRESS_WINDOW_MS) return channel.port1.close();
      press();
      channel.port2.postMessage(shownAt);
    };
    channel.port1.onmessage = (event: MessageEvent<number>) => pressWhileNew(event.data);
    const observer = new MutationObserver(() => {
      const card = newCard();
      if (card === null) return;
      observer.disconnect();
      pressWhileNew(card.shownAt);
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
}

test('turn 1: the approval card at the Edit, in the timeline and the inbox; the key guard', async () => {
  test.setTimeout(STEP_TIMEOUT);
  await page.goto(spec.env.served.url);
  await startGoalFromForm(page, {
    repoPath: spec.repo.path,
    description: 'APPROVAL tidy the notes',
    acceptance: 'test -f never-created.txt',
    maxTurns: '4',
    inPlace: true,
  });

  // --- Turn 1: the card appears at the Edit; `a` pressed as it appears is ignored ---
  await pressAWhileNew(page);
  const card = timeline(page).getByTestId('prompt-detail');
  await expect(card).toBeVisible({ timeout: TURN_TIMEOUT });
  await expect(card.getByTestId('keys-state')).toContainText('was ignored');
  await expect(card).toHaveAttribute('data-keys', 'armed');
  await expect(card).toBeVisible();
  expect(spec.repo.git('status', '--porcelain')).toBe('');
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
  await expectNoSeriousA11yViolations(page, 'the approval card in the timeline');
  // The inbox shows the same card.
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  await expect(inbox.getByTestId('claude-said')).toContainText(SAID);
  await expect(inbox.getByTestId('tool-path')).toHaveText('notes.txt');
  await expectNoSeriousA11yViolations(page, 'the inbox');
  await page.keyboard.press('Escape');
  await expect(inbox).toBeHidden();
  // Now the key allows.
  await page.keyboard.press('a');
  await expect
    .poll(() => spec.repo.git('diff', '--', 'notes.txt'), { timeout: TURN_TIMEOUT })
    .toContain('+note twenty-five');
  const editRow = timeline(page).locator('[data-tool-use-id=toolu_edit_notes]');
  await expect(editRow.getByTestId('permission-decision')).toHaveText('allowed by operator');
  await expect(editRow.getByTestId('mini-diff')).toContainText('note twenty-five');
  // One card per call: no separate permission row.
  await expect(timeline(page).locator('[data-kind=permission], [data-kind=decision]')).toHaveCount(0);
});

test('turn 2: risk badges; Allow with edits as a field with a live preview; the full output on demand', async () => {
  test.setTimeout(STEP_TIMEOUT);
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  const bashCard = timeline(page).getByTestId('prompt-detail');
  await expect(bashCard).toBeVisible({ timeout: TURN_TIMEOUT });
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
  await expectNoSeriousA11yViolations(page, 'allow with edits');
  await edit.getByRole('button', { name: 'Allow edited' }).click();
  await expect
    .poll(
      () =>
        spec.env.model.requests.some((request) =>
          request.lastToolResults.some((result) => result.content.includes('edited-run')),
        ),
      { timeout: TURN_TIMEOUT },
    )
    .toBe(true);
  expect(
    spec.env.model.requests.some((request) =>
      request.lastToolResults.some((result) => result.content.includes('original-run')),
    ),
  ).toBe(false);
  const edited = timeline(page).getByTestId('edited-fields');
  await expect(edited).toBeVisible();
  await expect(edited).toContainText('rm -rf build && echo original-run');
  await expect(edited).toContainText('echo edited-run');
  await expect(timeline(page).getByText('allowed with edits by operator')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'timeline-allowed-with-edits.png') });
  await expectNoSeriousA11yViolations(page, 'the timeline with decisions');
  // Its 3,000-line output: loaded in full on demand and shown virtualized (only lines in view exist).
  const bashRow = timeline(page).locator('.row-tool', { has: page.getByTestId('edited-fields') });
  await bashRow.getByRole('button', { name: 'Show full result' }).click();
  const full = bashRow.getByTestId('virtual-lines');
  await expect(full).toHaveAttribute('data-lines', /^30\d\d$/);
  await expect(full.locator('.virtual-line').first()).toHaveText('1');
  expect(await full.locator('.virtual-line').count()).toBeLessThan(200);
  await bashRow.getByRole('button', { name: 'Collapse result' }).click();
});

test("turn 3: a new file's Write; Deny & pause goal", async () => {
  test.setTimeout(STEP_TIMEOUT);
  const writeCard = timeline(page).getByTestId('prompt-detail');
  await expect(writeCard).toBeVisible({ timeout: TURN_TIMEOUT });
  await expect(writeCard.getByTestId('tool-path')).toHaveText('fresh.txt');
  await expect(writeCard.getByTestId('change-preview')).toContainText('New file');
  await writeCard.getByLabel('Message to Claude').fill(PAUSE_MESSAGE);
  await writeCard.getByRole('button', { name: 'Deny & pause goal' }).click();
  await expect(page.getByRole('region', { name: 'Goal' }).getByTestId('goal-status')).toHaveText(/paused/i, {
    timeout: TURN_TIMEOUT,
  });
  await expect(timeline(page).getByText(`denied by operator: ${PAUSE_MESSAGE} (turn ended)`)).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'timeline-deny-and-pause.png') });
});

test('the permission log says the same, in the light and the dark theme', async () => {
  test.setTimeout(STEP_TIMEOUT);
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const log = page.getByRole('table', { name: 'Permission requests' });
  await expect(log.getByRole('row', { name: /echo original-run/ })).toContainText('allowed with edits by operator');
  await expect(log.getByRole('row', { name: /echo original-run/ }).getByTestId('edited-fields')).toContainText(
    'echo edited-run',
  );
  await expect(log.getByRole('row', { name: /fresh\.txt/ })).toContainText(`denied by operator: ${PAUSE_MESSAGE}`);
  await page.screenshot({ path: join(SHOTS, 'permissions-log-edits.png') });
  await expectNoSeriousA11yViolations(page, 'the permission log');
  // The dark theme too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousA11yViolations(page, 'the permission log (dark)');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(timeline(page).getByText('allowed with edits by operator')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the timeline (dark)');
});
