// Review like a reviewer, end to end: browser mode in real Chromium, the real Claude Code CLI
// against the scripted fake model. A goal edits two files in its one turn (a.txt in two places far
// apart, b.js by an added line) and ends. In the turn's diff: +/− markers with words for screen
// readers; b.js's keyword syntax-highlighted, a.txt (no grammar) not; in split view the empty side of the added-only hunk carries no marker and no red bar;
// hunk 2 of a.txt is reverted (the file on disk checked); a.txt ticked viewed collapses, the count
// says "1 of 2 viewed" and the tick survives a reload; a comment on b.js's added line is sent to
// Claude, which continues the goal: the model's next request quotes the comment with its file and
// line, and says which hunk was reverted. An axe check of the diff dialog finds no serious or
// critical violation. Browser mode shows no "Browse…" folder button. A second goal, live: `overseer revert` (the built CLI, through the open
// console's host) is refused while its turn runs, then reverts a hunk once it is paused, and the
// resumed turn's prompt says so. Screenshots of the new states go to artifacts/screenshots/.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { FakeRequestContext } from '../fake-model/server.js';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { builtCli, repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');
const ORIGINAL_A = Array.from({ length: 40 }, (_, i) => `line ${i + 1}\n`).join('');
const COMMENT = 'Use BETA in capitals here.';
const EDIT = "sed -i 's/^line 3$/line three/; s/^line 35$/line thirty-five/' a.txt && printf 'let beta;\\n' >> b.js";

function script(ctx: FakeRequestContext) {
  if (ctx.lastToolResults.length > 0) return { text: 'Both files edited.' };
  if (ctx.lastUserText.includes('Review comments on your changes')) return { text: 'Noted, thank you.' };
  if (ctx.lastUserText.includes('LIVE-REVIEW') && ctx.lastUserText.includes('[Turn 2/'))
    return {
      text: 'Writing two.txt.',
      toolUses: [{ name: 'Bash', input: { command: "printf 'two\\n' > two.txt", description: 'second step' } }],
    };
  if (ctx.lastUserText.includes('[Turn 1/'))
    return {
      text: 'Editing a.txt and b.js.',
      toolUses: [{ name: 'Bash', input: { command: EDIT, description: 'edit' } }],
    };
  return { text: 'Nothing more to do.' };
}

let env: ConsoleWithModel;
let repo: FixtureRepo;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  repo = createFixtureRepo({ 'a.txt': ORIGINAL_A, 'b.js': 'alpha\n' });
  env = await consoleWithModel(script);
});
test.afterAll(async () => {
  await env?.close();
  repo?.remove();
});

/** An axe check (WCAG 2.1 A and AA) of one part of the page: no serious or critical violation. */
async function expectAccessible(page: Page, selector: string, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 4)
          .map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
  expect(serious, `axe on ${screen}`).toEqual([]);
}

async function openTurnDiff(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Turns' }).click();
  await page.getByRole('button', { name: 'Open diff of turn 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Changes in turn 1' });
  await expect(dialog.getByTestId('viewed-count')).toBeVisible();
  return dialog;
}

test('reviews a turn: markers, split view, hunk revert, viewed ticks, a line comment sent to Claude', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(env.served.url);

  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  // Browser mode has no folder dialog: no "Browse…" beside the repository field (Electron has one).
  await expect(form.getByLabel('Repository folder')).toBeVisible();
  await expect(form.getByRole('button', { name: 'Browse…' })).toHaveCount(0);
  await form.getByLabel('Repository folder').fill(repo.path);
  await form.getByLabel('Goal description').fill('REVIEW-GOAL: edit a.txt and b.js');
  await form.getByLabel('Permission mode').selectOption('allow-all');
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: 'REVIEW-GOAL: edit a.txt and b.js' })).toBeVisible();
  const goalId = new URL(page.url()).hash.split('/')[2] ?? '';
  const worktree = join(env.dataDir, 'worktrees', goalId);
  await expect(page.getByRole('region', { name: 'Goal' }).getByTestId('goal-status')).toHaveText('done', {
    timeout: 120_000,
  });

  // --- Markers: every changed line says + or − in its gutter, with words for screen readers ---
  let dialog = await openTurnDiff(page);
  const fileA = dialog.getByRole('region', { name: 'Diff of a.txt' });
  const fileB = dialog.getByRole('region', { name: 'Diff of b.js' });
  await expect(dialog.getByTestId('viewed-count')).toHaveText('0 of 2 viewed');
  await expect(fileA.locator('.diff-marker', { hasText: '+' })).toHaveCount(2);
  await expect(fileA.locator('.diff-marker', { hasText: '−' })).toHaveCount(2);
  await expect(fileA.locator('.diff-sr', { hasText: 'added' })).toHaveCount(2);
  await expect(fileA.getByText('Hunk 2', { exact: true })).toBeVisible();
  // Syntax highlighting: b.js's added line has its keyword highlighted; a.txt (no grammar) has no tokens.
  await expect(fileB.locator('.token.keyword', { hasText: 'let' })).toBeVisible();
  await expect(fileA.locator('.token')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'review-markers.png') });
  await expectAccessible(page, 'dialog[open]', 'the diff dialog');
  // The highlighted tokens keep their contrast in the dark theme too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'dialog[open]', 'the diff dialog (dark)');
  await page.emulateMedia({ colorScheme: 'light' });

  // --- Split view: the empty side of b.js's added-only hunk shows no marker and no red bar ---
  await dialog.getByRole('button', { name: 'Split' }).click();
  const emptyCells = fileB.locator('td.diff-gutter-omit');
  await expect(emptyCells).toHaveCount(1);
  expect(await emptyCells.first().textContent()).toBe('');
  expect(await emptyCells.first().evaluate((cell) => getComputedStyle(cell, '::before').content)).toBe('none');
  await expect(fileB.locator('.diff-marker')).toHaveText(['+']);
  await page.screenshot({ path: join(SHOTS, 'review-split-added-only.png') });
  await dialog.getByRole('button', { name: 'Unified' }).click();

  // --- Revert hunk 2 of a.txt: only line 35 goes back, on disk ---
  await fileA.getByRole('button', { name: 'Revert hunk 2 of a.txt' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revert hunk 2' });
  await confirm.getByRole('button', { name: 'Revert hunk 2', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(fileA.getByText('Reverted', { exact: true })).toBeVisible();
  expect(readFileSync(join(worktree, 'a.txt'), 'utf8')).toBe(ORIGINAL_A.replace('line 3\n', 'line three\n'));
  expect(readFileSync(join(worktree, 'b.js'), 'utf8')).toBe('alpha\nlet beta;\n');
  await page.screenshot({ path: join(SHOTS, 'review-hunk-reverted.png') });

  // --- Viewed: a.txt collapses, the count follows, the tick survives a reload ---
  await fileA.getByRole('checkbox', { name: 'Viewed' }).check();
  await expect(dialog.getByTestId('viewed-count')).toHaveText('1 of 2 viewed');
  await expect(fileA.locator('.diff-marker')).toHaveCount(0);
  await expect(fileA.getByRole('button', { name: 'Expand a.txt' })).toHaveAttribute('aria-expanded', 'false');
  await page.screenshot({ path: join(SHOTS, 'review-viewed.png') });
  await page.reload();
  dialog = await openTurnDiff(page);
  await expect(dialog.getByTestId('viewed-count')).toHaveText('1 of 2 viewed');
  await expect(
    dialog.getByRole('region', { name: 'Diff of a.txt' }).getByRole('checkbox', { name: 'Viewed' }),
  ).toBeChecked();

  // --- A comment on b.js's added line, by keyboard, then sent to Claude (the goal continues) ---
  const lineButton = dialog.getByRole('region', { name: 'Diff of b.js' }).getByRole('button', {
    name: 'Comment on line 2 (added)',
  });
  await lineButton.focus();
  await page.keyboard.press('Enter');
  const box = dialog.getByRole('textbox', { name: 'Comment on b.js line 2' });
  await box.fill(COMMENT);
  await page.keyboard.press('Control+Enter');
  await expect(lineButton).toBeFocused();
  const drafts = dialog.getByRole('region', { name: /Review comments/ });
  await expect(drafts).toContainText('b.js:2');
  await expect(drafts.getByRole('textbox', { name: 'Comment on b.js line 2' })).toHaveValue(COMMENT);
  await page.screenshot({ path: join(SHOTS, 'review-comment-draft.png') });
  await expectAccessible(page, 'dialog[open]', 'the diff dialog with a comment');
  await drafts.getByRole('button', { name: 'Send to Claude and continue' }).click();
  await expect(drafts).toBeHidden();

  await expect
    .poll(
      () => env.model.requests.some((request) => request.lastUserText.includes('Review comments on your changes')),
      {
        timeout: 120_000,
      },
    )
    .toBe(true);
  const sent = env.model.requests.find((request) => request.lastUserText.includes('Review comments on your changes'));
  expect(sent?.lastUserText).toContain(`b.js:2: > let beta;\n${COMMENT}`);
  expect(sent?.lastUserText).toContain('The operator reverted one hunk of a.txt');
  await dialog.getByRole('button', { name: 'Close Changes in turn 1' }).click();
  await expect(page.getByRole('region', { name: 'Goal' }).getByTestId('goal-status')).toHaveText('done', {
    timeout: 120_000,
  });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText('You reverted a hunk of a.txt')).toBeAttached();
});

/** Runs the built CLI; resolves with its exit code and output (never rejects). */
function overseer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [builtCli, ...args], { env: { ...process.env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

async function allowInInbox(page: Page) {
  await expect(page.getByRole('button', { name: 'Permission inbox, 1 waiting' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(inbox.getByText('Nothing waiting for you.')).toBeVisible();
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();
}

test('overseer revert: refused while a turn runs, then a hunk reverted and told to the next turn', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(env.served.url);
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(repo.path);
  await form.getByLabel('Goal description').fill('LIVE-REVIEW: edit and keep going');
  await form.getByLabel('Acceptance commands').fill('test -f never.txt');
  await form.getByLabel('Max turns').fill('3');
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: 'LIVE-REVIEW: edit and keep going' })).toBeVisible();
  const goalId = new URL(page.url()).hash.split('/')[2] ?? '';
  const worktree = join(env.dataDir, 'worktrees', goalId);

  // Turn 1 edits both files; turn 2 waits for approval of its Bash call: a turn is running.
  await allowInInbox(page);
  await expect(page.getByRole('button', { name: 'Permission inbox, 1 waiting' })).toBeVisible({ timeout: 120_000 });
  const refused = await overseer(
    'revert',
    goalId.slice(0, 8),
    '--file',
    'a.txt',
    '--turn',
    '1',
    '--data-dir',
    env.dataDir,
  );
  expect(refused.code, refused.stdout).toBe(1);
  expect(refused.stderr).toContain('a turn is running');
  expect(readFileSync(join(worktree, 'a.txt'), 'utf8')).toContain('line thirty-five');

  // Pause, let turn 2 finish: the goal is paused between turns, and the hunks are listed by number.
  await page.getByRole('toolbar', { name: 'Goal controls' }).getByRole('button', { name: 'Pause' }).click();
  await allowInInbox(page);
  await expect(page.getByRole('region', { name: 'Goal' }).getByTestId('goal-status')).toHaveText('paused', {
    timeout: 120_000,
  });
  const hunks = await overseer('diff', goalId.slice(0, 8), '--turn', '1', '--hunks', '--data-dir', env.dataDir);
  expect(hunks.code, hunks.stderr).toBe(0);
  expect(hunks.stdout).toContain('a.txt (modified)\n  hunk 1  @@ -1,6 +1,6 @@');
  expect(hunks.stdout).toContain('  hunk 2  @@ -32,7 +32,7 @@');

  const reverted = await overseer(
    'revert',
    goalId.slice(0, 8),
    '--file',
    'a.txt',
    '--hunk',
    '1',
    '--turn',
    '1',
    '--data-dir',
    env.dataDir,
  );
  expect(reverted.code, reverted.stderr).toBe(0);
  expect(reverted.stdout).toContain(
    'reverted hunk 1 of a.txt (from turn 1’s changes). Claude reads of it at the next turn.',
  );
  expect(readFileSync(join(worktree, 'a.txt'), 'utf8')).toBe(ORIGINAL_A.replace('line 35\n', 'line thirty-five\n'));
  await expect(
    page.getByRole('region', { name: 'Timeline' }).getByText('You reverted a hunk of a.txt').first(),
  ).toBeAttached({
    timeout: 30_000,
  });
  await page.screenshot({ path: join(SHOTS, 'review-cli-revert-timeline.png') });

  // Resumed: turn 3's prompt says which hunk was undone.
  await page.getByRole('toolbar', { name: 'Goal controls' }).getByRole('button', { name: 'Resume' }).click();
  const third = () =>
    env.model.requests.find(
      (request) => request.lastUserText.includes('LIVE-REVIEW') && request.lastUserText.includes('[Turn 3/'),
    );
  await expect.poll(() => third() !== undefined, { timeout: 120_000 }).toBe(true);
  expect(third()?.lastUserText).toContain('The operator reverted one hunk of a.txt (hunk 1 of turn 1’s changes to it)');
  expect(third()?.lastUserText).toContain('+line three');
  await page.getByRole('toolbar', { name: 'Goal controls' }).getByRole('button', { name: 'Cancel goal' }).click();
  await page.getByRole('dialog', { name: 'Cancel goal' }).getByRole('button', { name: 'Cancel the goal' }).click();
  await expect(page.getByRole('region', { name: 'Goal' }).getByTestId('goal-status')).toHaveText(
    /cancelled|paused at cap|budget exhausted/,
    {
      timeout: 120_000,
    },
  );
});
