// The New goal form, end to end (real CLI, fake model): placeholders read as examples; a submit
// with problems marks each field (aria-invalid, the error beside it as its description) and moves
// focus to the first one; the model field suggests known models and takes any name; once a goal
// started, the next form offers its repository as a recent one and remembers the last model, mode,
// budget, budget choice and turn timeout. Screenshots of each state go to artifacts/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { consoleWithModel, type ConsoleWithModel } from '../helpers/console-with-model.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { repoRoot } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');

let env: ConsoleWithModel;
let repo: FixtureRepo;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  repo = createFixtureRepo({ 'README.md': '# Fixture\n' });
  env = await consoleWithModel(() => ({ text: 'Nothing to change.' }));
});
test.afterAll(async () => {
  await env?.close();
  repo?.remove();
});

test('new goal: errors beside their fields with focus on the first, recent repositories, remembered values', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(env.served.url);
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  const repoField = form.getByLabel('Repository folder');
  const description = form.getByLabel('Goal description');
  const maxTurns = form.getByLabel('Max turns');
  // Placeholders are examples, not values.
  for (const field of [repoField, description, form.getByLabel('Acceptance commands'), form.getByLabel('Model')]) {
    await expect(field).toHaveAttribute('placeholder', /^e\.g\. /);
  }
  await expect(form.getByRole('group', { name: 'Recent repositories' })).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'new-goal-empty.png'), fullPage: true });

  // Nothing filled: both fields marked, their errors are their descriptions, focus on the first.
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(repoField).toBeFocused();
  await expect(repoField).toHaveAttribute('aria-invalid', 'true');
  await expect(repoField).toHaveAccessibleDescription('Choose a repository folder.');
  await expect(description).toHaveAttribute('aria-invalid', 'true');
  await expect(description).toHaveAccessibleDescription('Describe what Claude should achieve.');
  await page.screenshot({ path: join(SHOTS, 'new-goal-errors.png'), fullPage: true });

  // The repository filled and a bad turn limit: focus goes to the description, then to Max turns.
  await repoField.fill(repo.path);
  await expect(repoField).toHaveAttribute('aria-invalid', 'false');
  await maxTurns.fill('three');
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(description).toBeFocused();
  await description.fill('FORM say hello');
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(maxTurns).toBeFocused();
  await expect(maxTurns).toHaveAttribute('aria-invalid', 'true');
  await expect(maxTurns).toHaveAccessibleDescription(/whole number/);

  // Known models are suggested; any name is accepted.
  const model = form.getByLabel('Model');
  const listId = await model.getAttribute('list');
  const suggested = await page
    .locator(`datalist#${listId ?? 'missing'} option`)
    .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
  expect(suggested).toContain('sonnet');
  expect(suggested).toContain('opus');
  await model.fill('haiku');
  await maxTurns.fill('2');
  await form.getByLabel('Permission mode').selectOption('allow-edits');
  await form.getByRole('radio', { name: 'End the goal' }).check();
  await form.getByLabel('Turn timeout').fill('15m');
  await form.getByLabel('Acceptance commands').fill('true');
  await form.getByRole('radio', { name: /In place/ }).check();
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: 'FORM say hello' })).toBeVisible();

  // The next form: the repository as a recent one (suggestion and button), the last values kept.
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  await expect(form.getByLabel('Model')).toHaveValue('haiku');
  await expect(form.getByLabel('Permission mode')).toHaveValue('allow-edits');
  await expect(form.getByLabel('Max turns')).toHaveValue('2');
  await expect(form.getByRole('radio', { name: 'End the goal' })).toBeChecked();
  await expect(form.getByLabel('Turn timeout')).toHaveValue('15m');
  await expect(form.getByLabel('Repository folder')).toHaveValue('');
  const repoListId = await form.getByLabel('Repository folder').getAttribute('list');
  await expect(page.locator(`datalist#${repoListId ?? 'missing'} option`)).toHaveAttribute('value', repo.path);
  const recent = form.getByRole('group', { name: 'Recent repositories' });
  await recent.getByRole('button', { name: repo.path }).click();
  await expect(form.getByLabel('Repository folder')).toHaveValue(repo.path);
  await expect(form.getByTestId('repo-check')).toContainText('Git repository at');
  await page.screenshot({ path: join(SHOTS, 'new-goal-remembered.png'), fullPage: true });
});
