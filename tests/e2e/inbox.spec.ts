// The permission inbox across goals, end to end (real CLI, fake model): one queue oldest first;
// keyboard j/k/a, Escape; an Edit shown as a diff and a Write as path + content; Allow with edits
// (the edited command is what runs); Always allow with the rule and its matches shown before it is
// saved, then applied to the next call; Deny and stop; a desktop notification when the page is
// away; stored rules listed and deleted in Settings; search across goals and transcripts.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { FakeReply, FakeRequestContext } from '../fake-model/server.js';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';

let env: ConsoleWithModel;
let repoA: FixtureRepo;
let repoB: FixtureRepo;

/** Goal A: turn 1 Bash, turns 2 and 3 Write, turn 4 Bash. Goal B: Read then Edit of its README. */
function script(ctx: FakeRequestContext): FakeReply {
  const result = ctx.lastToolResults[0];
  if (result?.toolUseId === 'toolu_read_b') {
    return {
      toolUses: [
        {
          id: 'toolu_edit_b',
          name: 'Edit',
          input: {
            file_path: join(repoB.path, 'README.md'),
            old_string: '# Fixture',
            new_string: '# Fixture (edited)',
          },
        },
      ],
    };
  }
  if (result !== undefined) return { text: `Tool said: ${result.content.slice(0, 80)}` };
  if (ctx.lastUserText.includes('GOAL-B'))
    return { toolUses: [{ id: 'toolu_read_b', name: 'Read', input: { file_path: join(repoB.path, 'README.md') } }] };
  const turn = Number(/\[Turn (\d+)\//.exec(ctx.lastUserText)?.[1] ?? '0');
  switch (turn) {
    case 1:
      return {
        toolUses: [
          { name: 'Bash', input: { command: 'touch marker-a && echo original-a', description: 'say something' } },
        ],
      };
    case 2:
      return {
        toolUses: [
          { name: 'Write', input: { file_path: join(repoA.path, 'first.txt'), content: 'first file\nfrom turn 2\n' } },
        ],
      };
    case 3:
      return {
        toolUses: [{ name: 'Write', input: { file_path: join(repoA.path, 'second.txt'), content: 'second file\n' } }],
      };
    case 4:
      return {
        toolUses: [
          { name: 'Bash', input: { command: 'touch marker-last && echo last-step', description: 'the last step' } },
        ],
      };
    default:
      return { text: 'Nothing more.' };
  }
}

test.beforeAll(async () => {
  repoA = createFixtureRepo();
  repoB = createFixtureRepo();
  env = await consoleWithModel(script);
});
test.afterAll(async () => {
  await env?.close();
  repoA?.remove();
  repoB?.remove();
});

async function createGoal(page: Page, repo: string, description: string, acceptance: string, maxTurns: string) {
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(repo);
  await form.getByLabel('Goal description').fill(description);
  await form.getByLabel('Acceptance commands').fill(acceptance);
  await form.getByLabel('Max turns').fill(maxTurns);
  await form.getByRole('radio', { name: /In place/ }).check();
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: description })).toBeVisible();
}

async function openInbox(page: Page, waiting: number) {
  await expect(page.getByRole('button', { name: `Permission inbox, ${waiting} waiting` })).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  return page.getByRole('dialog', { name: 'Permission inbox' });
}

test('one queue across goals, every decision, rules, notifications, search', async ({ page }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // A Notification stand-in that records what the page shows, and a switch for "the window is not focused".
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    Reflect.set(window, '__notifications', shown);
    Reflect.set(window, '__away', false);
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body ?? '' });
      }
      close() {}
    }
    Reflect.set(window, 'Notification', RecordingNotification);
    document.hasFocus = () => Reflect.get(window, '__away') !== true;
  });
  await page.goto(env.served.url);

  // Goal A while the window is "away": its first prompt raises a notification.
  await page.evaluate(() => Reflect.set(window, '__away', true));
  await createGoal(page, repoA.path, 'GOAL-A say things and write files', 'test -f never-created.txt', '4');
  await expect(page.getByRole('button', { name: 'Permission inbox, 1 waiting' })).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(() => page.evaluate(() => JSON.stringify(Reflect.get(window, '__notifications'))))
    .toContain('Permission needed: Bash');
  expect(await page.evaluate(() => JSON.stringify(Reflect.get(window, '__notifications')))).toContain(
    'echo original-a',
  );
  await page.evaluate(() => Reflect.set(window, '__away', false));

  // Goal B: its Edit prompt queues after A's Bash (oldest first).
  await createGoal(page, repoB.path, 'GOAL-B edit the readme', '', '3');
  let inbox = await openInbox(page, 2);
  const options = inbox.getByRole('option');
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toContainText('echo original-a');
  await expect(options.nth(1)).toContainText('README.md');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  // The Edit as a diff of old_string → new_string.
  const editView = inbox.getByTestId('tool-input');
  await expect(editView).toContainText('Edit');
  await expect(editView.locator('.diff-code-insert')).toContainText('# Fixture (edited)');
  await expect(editView.locator('.diff-code-delete')).toContainText('# Fixture');
  await page.keyboard.press('k');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  // a allows the selected one (B's Edit) once it has been on screen a moment (the key guard):
  // B finishes (no acceptance commands).
  await expect(inbox.getByTestId('prompt-detail')).toHaveAttribute('data-keys', 'armed');
  await page.keyboard.press('a');
  await expect(options).toHaveCount(1);
  await expect.poll(() => repoB.git('diff', '--stat'), { timeout: 60_000 }).toContain('README.md');

  // d focuses the message field (the keys still work after the decision took the focus away);
  // Deny with an empty message says why not.
  await page.keyboard.press('d');
  await expect(inbox.getByLabel('Message to Claude')).toBeFocused();
  await inbox.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(inbox.getByRole('alert')).toContainText('Tell Claude why');

  // Allow with edits: the edited command is the one that runs.
  await inbox.getByRole('button', { name: 'Allow with edits' }).click();
  await inbox.getByLabel('Command to run').fill('touch marker-a && echo edited-a');
  await inbox.getByRole('button', { name: 'Allow edited' }).click();
  await expect
    .poll(
      () =>
        env.model.requests.some((request) =>
          request.lastToolResults.some((result) => result.content.includes('edited-a')),
        ),
      { timeout: 60_000 },
    )
    .toBe(true);
  expect(
    env.model.requests.some((request) =>
      request.lastToolResults.some((result) => result.content.includes('original-a')),
    ),
  ).toBe(false);

  // Turn 2's Write: path and content; Always allow shows the rule and its matches before saving.
  await expect(options).toHaveCount(1, { timeout: 60_000 });
  await expect(inbox.getByTestId('tool-input')).toContainText('first.txt');
  await expect(inbox.getByTestId('tool-input')).toContainText('from turn 2');
  await inbox.getByRole('button', { name: 'Always allow…' }).click();
  const rule = inbox.getByRole('group', { name: 'Always allow rule' });
  await rule.getByRole('radio', { name: 'This goal' }).check();
  await rule.getByRole('radio', { name: 'Any Write call' }).check();
  await expect(rule.getByTestId('rule-preview')).toContainText('Rule: allow Write with any input in this goal only');
  await expect(rule.getByTestId('rule-preview')).toContainText('Matches 1 pending and 0 past requests.');
  await page.screenshot({ path: join(repoRoot, 'artifacts', 'screenshots', 'inbox-always-allow.png') });
  await rule.getByRole('button', { name: 'Save rule and allow' }).click();
  await expect(inbox.getByText('Nothing waiting for you.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(inbox).toBeHidden();

  // Turn 3's Write is allowed by the rule without asking; turn 4's Bash is denied and stopped.
  inbox = await openInbox(page, 1);
  await expect(inbox.getByTestId('tool-input')).toContainText('echo last-step');
  await inbox.getByLabel('Message to Claude').fill('Stop here, the goal is over.');
  await inbox.getByRole('button', { name: 'Deny & end turn' }).click();
  await expect(inbox.getByText('Nothing waiting for you.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: /GOAL-A/ }).click();
  await page.getByRole('tab', { name: 'Permissions' }).click();
  const log = page.getByRole('table', { name: 'Permission requests' });
  // "Always allow" decided turn 2's Write through the new rule; turn 3's Write never reached the inbox.
  await expect(log.getByRole('row', { name: /first\.txt/ })).toContainText('allowed by rule');
  await expect(log.getByRole('row', { name: /second\.txt/ })).toContainText('allowed by rule');
  await expect(log.getByRole('row', { name: /echo last-step/ })).toContainText(
    'denied by operator: Stop here, the goal is over.',
  );

  // Stored rules in Settings: listed, then deleted.
  await page.getByRole('button', { name: 'Settings' }).click();
  const rules = page.getByRole('table', { name: 'Stored rules' });
  await expect(rules.getByTestId('rule-row')).toHaveCount(1);
  await expect(rules.getByTestId('rule-row')).toContainText('Write');
  await rules.getByRole('button', { name: 'Delete rule allow Write any input' }).click();
  await expect(page.getByText('No stored rules.')).toBeVisible();

  // Search across goals and transcripts.
  await page.getByRole('searchbox', { name: 'Search goals and transcripts' }).fill('edited');
  await page.getByRole('searchbox', { name: 'Search goals and transcripts' }).press('Enter');
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('button').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('list', { name: 'Search results' })).toContainText('GOAL-');
});
