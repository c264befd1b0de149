// The operator's journey, end to end: browser mode in real Chromium, the real Claude Code CLI
// against the scripted fake model. Create a goal on a fixture repository; a permission prompt
// appears and is allowed; the turn's diff stat matches `git diff --stat` between its checkpoints;
// the next prompt is denied with a message the model receives; a note queued with Interrupt
// reaches the model; pause holds the goal between turns and resume goes on; cancel ends it; after
// a server restart on the same data directory the history is intact. Screenshots of the main
// screens go to artifacts/screenshots/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleForSpec } from './spec-console.js';
import { createFixtureRepo, gitDiffNumbers } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');
const DENY_MESSAGE = 'Do not append to notes.txt; write a new file instead.';
const NOTE = 'Operator note: keep the README short.';
const COMMANDS = [
  `printf 'alpha\\nbeta\\ngamma\\n' > notes.txt && printf 'More text.\\n' >> README.md`,
  `printf 'delta\\n' >> notes.txt`,
  `printf 'two\\n' > two.txt`,
  `printf 'three\\n' > three.txt`,
];

/** Turn n (0-based) asks for COMMANDS[n] with Bash; after the tool result it ends the turn. */
function script(ctx: FakeRequestContext) {
  if (ctx.lastToolResults.length > 0) return { text: `Handled: ${ctx.lastToolResults[0]?.content.slice(0, 60) ?? ''}` };
  const turn = /\[Turn (\d+)\//.exec(ctx.lastUserText);
  const command = turn === null ? undefined : COMMANDS[Number(turn[1]) - 1];
  if (command === undefined) return { text: 'Nothing more to do.' };
  return {
    text: `Running step ${turn?.[1] ?? '?'}.`,
    toolUses: [{ name: 'Bash', input: { command, description: `step ${turn?.[1] ?? '?'}` } }],
  };
}

const spec = consoleForSpec(script, () => createFixtureRepo(), { shotsDir: SHOTS });

async function openInbox(page: Page, waiting: number) {
  await expect(page.getByRole('button', { name: `Permission inbox, ${waiting} waiting` })).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  await expect(inbox).toBeVisible();
  return inbox;
}

function timeline(page: Page) {
  return page.getByRole('region', { name: 'Timeline' });
}

/** Only the rows in view are rendered: scroll the timeline up from the end until `text` is rendered. */
async function findInTimeline(page: Page, text: string | RegExp) {
  const region = timeline(page);
  const target = region.getByText(text).first();
  // Two animation frames: the virtual list renders the rows of the new scroll position.
  const settle = () =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await region.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await settle();
  for (let i = 0; i < 200 && (await target.count()) === 0; i++) {
    await region.evaluate((element) => (element.scrollTop = Math.max(0, element.scrollTop - 250)));
    await settle();
  }
  await target.scrollIntoViewIfNeeded();
  await expect(target).toBeVisible();
  return target;
}

/** Brings the timeline to its newest entry (as "Jump to latest" does), where it follows new entries. */
async function followNewest(page: Page) {
  const jump = page.getByRole('button', { name: 'Jump to latest' });
  if ((await jump.count()) > 0) await jump.click();
  await expect(jump).toHaveCount(0);
}

test('create, allow, diff, deny, interrupt, pause/resume, cancel, restart', async ({ page }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(spec.env.served.url);

  // --- New goal ---
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(join(spec.repo.path, 'missing'));
  await form.getByLabel('Repository folder').blur();
  await expect(page.getByTestId('repo-check')).toContainText('does not exist');
  await form.getByLabel('Repository folder').fill(spec.repo.path);
  await form.getByLabel('Repository folder').blur();
  await expect(page.getByTestId('repo-check')).toContainText('Git repository at');
  await expect(page.getByTestId('repo-check')).toContainText('on main');
  await form.getByLabel('Goal description').fill('Write the notes file and keep the README tidy');
  await form.getByLabel('Acceptance commands').fill('test -f never-created.txt');
  // The defaults from settings are shown; change the turn cap.
  await expect(form.getByLabel('Max turns')).toHaveValue('40');
  await form.getByLabel('Max turns').fill('8');
  await expect(form.getByLabel('Permission mode')).toHaveValue('ask');
  await expect(form.getByRole('radio', { name: /Worktree/ })).toBeChecked();
  await page.screenshot({ path: join(SHOTS, 'new-goal.png') });
  await form.getByRole('button', { name: 'Start goal' }).click();

  // --- Turn 1: a permission prompt; allow it ---
  await expect(page.getByRole('heading', { name: 'Write the notes file and keep the README tidy' })).toBeVisible();
  let inbox = await openInbox(page, 1);
  await expect(inbox.getByTestId('tool-input')).toContainText("printf 'alpha");
  await expect(inbox.getByTestId('prompt-detail')).toContainText('Write the notes file');
  await page.screenshot({ path: join(SHOTS, 'inbox.png') });
  await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
  // The decided request leaves the inbox (the next turn's may already be there: the inbox is not
  // necessarily empty by the time this looks).
  await expect(inbox.getByTestId('tool-input').filter({ hasText: "printf 'alpha" })).toHaveCount(0);
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();

  // The turn's diff stat equals git's numbers between the turn's checkpoints.
  const diffRow = timeline(page).locator('[data-testid=turn-diff-row][data-turn="0"]');
  await expect(diffRow).toBeVisible({ timeout: 60_000 });
  const goalId = new URL(page.url()).hash.split('/')[2] ?? '';
  const refs = spec.repo
    .git('for-each-ref', '--format=%(refname)', `refs/overseer/${goalId}/`)
    .split('\n')
    .filter((line) => line !== '');
  const pre = refs.find((ref) => ref.endsWith('/0-pre'));
  const post = refs.find((ref) => ref.endsWith('/0-post'));
  expect(pre, `checkpoint refs: ${refs.join(', ')}`).toBeDefined();
  expect(post).toBeDefined();
  const git = gitDiffNumbers(spec.repo, pre ?? '', post ?? '');
  expect(git).toEqual({ files: 2, added: 4, removed: 0 });
  const stat = diffRow.getByTestId('diff-stat');
  await expect(stat).toHaveAttribute('data-files', String(git.files));
  await expect(stat).toHaveAttribute('data-added', String(git.added));
  await expect(stat).toHaveAttribute('data-removed', String(git.removed));
  await expect(stat).toHaveText(`${git.files} files +${git.added} −${git.removed}`);

  // --- Turn 2: queue a note while its prompt waits, then deny with a message ---
  inbox = await openInbox(page, 1);
  await expect(inbox.getByTestId('tool-input')).toContainText("printf 'delta");
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();
  await page.getByRole('toolbar', { name: 'Goal controls' }).getByRole('button', { name: 'Interrupt' }).click();
  const interrupt = page.getByRole('dialog', { name: 'Interrupt' });
  await interrupt.getByLabel('Note for Claude').fill(NOTE);
  await interrupt.getByRole('button', { name: 'Queue note' }).click();
  await expect(interrupt).toBeHidden();
  await expect(timeline(page).getByText('Note queued for the next turn')).toBeVisible();
  inbox = await openInbox(page, 1);
  await inbox.getByLabel('Message to Claude').fill(DENY_MESSAGE);
  await inbox.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(inbox.getByTestId('tool-input').filter({ hasText: "printf 'delta" })).toHaveCount(0);
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();
  await expect
    .poll(
      () =>
        spec.env.model.requests.some((request) =>
          request.lastToolResults.some((result) => result.content.includes(DENY_MESSAGE)),
        ),
      { timeout: 60_000 },
    )
    .toBe(true);
  await findInTimeline(page, `denied by operator: ${DENY_MESSAGE}`);

  // --- Turn 3: the note leads its prompt; pause while its prompt waits, then allow ---
  inbox = await openInbox(page, 1);
  await expect(inbox.getByTestId('tool-input')).toContainText("printf 'two");
  const turn2 = spec.env.model.requests.find((request) => request.lastUserText.includes('[Turn 3/'));
  expect(turn2?.lastUserText).toContain(`[OPERATOR INTERRUPT]\n${NOTE}\n[END OPERATOR INTERRUPT]`);
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();
  const controls = page.getByRole('toolbar', { name: 'Goal controls' });
  await controls.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('goal-status').first()).toHaveText('paused');
  inbox = await openInbox(page, 1);
  await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();
  await expect(timeline(page).getByText('Turn 3 ended')).toBeVisible({ timeout: 60_000 });
  // findInTimeline left the list scrolled up at turn 2's denial, where it no longer follows new entries and
  // rows past the end are not rendered (virtual list): back to the newest entry, so turn 4's heading shows.
  await followNewest(page);
  // Held between turns: no turn 4 starts while paused.
  const requestsWhilePaused = spec.env.model.requests.length;
  await page.waitForTimeout(2500);
  expect(spec.env.model.requests.length).toBe(requestsWhilePaused);
  await expect(timeline(page).getByRole('heading', { name: /^Turn 4/ })).toHaveCount(0);
  // Raise the turn limit while it waits: the meter and the sidebar follow.
  await controls.getByRole('button', { name: 'Raise turn limit' }).click();
  const raise = page.getByRole('dialog', { name: 'Raise turn limit' });
  await raise.getByLabel('New turn limit').fill('12');
  await raise.getByRole('button', { name: 'Raise limit' }).click();
  await expect(raise).toBeHidden();
  await expect(page.getByTestId('meter-turns')).toHaveText('3 of 12');
  await expect(page.getByTestId('goal-item')).toContainText('3/12 turns');
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  // Toasts also leave on their own: a click that finds none is fine.
  while ((await dismiss.count()) > 0)
    await dismiss
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined);
  await page.screenshot({ path: join(SHOTS, 'goal-timeline.png') });
  await controls.getByRole('button', { name: 'Resume' }).click();
  await expect(timeline(page).getByRole('heading', { name: /^Turn 4/ })).toBeVisible({ timeout: 60_000 });

  // --- Turn 4: cancel while its prompt waits ---
  await openInbox(page, 1);
  await page.getByRole('button', { name: 'Close Permission inbox' }).click();
  await controls.getByRole('button', { name: 'Cancel goal' }).click();
  await page.getByRole('dialog', { name: 'Cancel goal' }).getByRole('button', { name: 'Cancel the goal' }).click();
  await expect(page.getByTestId('goal-status').first()).toHaveText('cancelled', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Permission inbox, 0 waiting' })).toBeVisible();

  // The first turn's diff in the viewer, unified and split; the cumulative diff.
  await page.getByRole('tab', { name: 'Changes' }).click();
  await expect(
    page.getByRole('region', { name: 'Changes since the goal started' }).getByRole('list', { name: 'Changed files' }),
  ).toContainText('notes.txt');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  // Scrolled up to the first turn, the timeline no longer follows new entries.
  await findInTimeline(page, 'Changes in turn 1:');
  await timeline(page).getByRole('button', { name: 'Open diff of turn 1' }).click();
  const diff = page.getByRole('dialog', { name: 'Changes in turn 1' });
  await expect(diff.getByRole('region', { name: 'Diff of notes.txt' })).toContainText('gamma');
  await diff.getByRole('button', { name: 'Split' }).click();
  await expect(diff.getByRole('button', { name: 'Split' })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: join(SHOTS, 'diff.png') });

  // Roll back to before the first turn (confirmed): the worktree is as it was.
  const worktree = join(spec.env.dataDir, 'worktrees', goalId);
  expect(existsSync(join(worktree, 'notes.txt'))).toBe(true);
  await diff.getByRole('button', { name: 'Roll back to before this turn' }).click();
  await page
    .getByRole('dialog', { name: 'Roll back' })
    .getByRole('button', { name: 'Roll back to before turn 1' })
    .click();
  await expect(page.getByRole('dialog', { name: 'Roll back' })).toBeHidden();
  await expect.poll(() => existsSync(join(worktree, 'notes.txt'))).toBe(false);
  expect(readFileSync(join(worktree, 'README.md'), 'utf8')).not.toContain('More text.');
  await diff.getByRole('button', { name: 'Close Changes in turn 1' }).click();
  // The rollback entry arrived below, out of view: the operator is offered a jump instead of being moved.
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
  await expect(timeline(page).getByText('Rolled back to before turn 1')).toHaveCount(0);
  await page.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(timeline(page).getByText('Rolled back to before turn 1')).toBeVisible();

  // --- Restart the server on the same data directory: the history is intact ---
  const served = await spec.env.restart();
  await page.goto(`${served.url}#/goal/${goalId}`);
  await expect(page.getByTestId('goal-status').first()).toHaveText('cancelled');
  await expect(page.getByTestId('goal-item')).toHaveCount(1);
  await findInTimeline(page, 'Rolled back to before turn 1');
  await findInTimeline(page, 'Turn 3 ended');
  await findInTimeline(page, NOTE);
  await findInTimeline(page, `denied by operator: ${DENY_MESSAGE}`);
  await findInTimeline(page, 'Changes in turn 1:');
  await expect(
    timeline(page).locator('[data-testid=turn-diff-row][data-turn="0"]').getByTestId('diff-stat'),
  ).toHaveText(`${git.files} files +${git.added} −${git.removed}`);
  await page.getByRole('tab', { name: 'Turns' }).click();
  await expect(page.getByTestId('turn-row')).toHaveCount(4);

  // Settings (claude binary check) for the screenshots.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('claude-check')).toContainText('found at', { timeout: 30_000 });
  await page.screenshot({ path: join(SHOTS, 'settings.png') });
});
