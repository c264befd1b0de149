// Starting goals through the console's New goal form in end-to-end tests, and a page-level axe check
// (WCAG 2.1 A and AA; serious and critical violations fail the test softly, so every screen reports).
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export interface GoalFormValues {
  repoPath: string;
  description: string;
  acceptance?: string;
  maxTurns?: string;
  inPlace?: boolean;
}

/** Opens New goal, fills it and starts the goal; resolves once the goal view shows its title. */
export async function startGoalFromForm(page: Page, values: GoalFormValues): Promise<void> {
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Repository folder').fill(values.repoPath);
  await form.getByLabel('Goal description').fill(values.description);
  if (values.acceptance !== undefined) await form.getByLabel('Acceptance commands').fill(values.acceptance);
  if (values.maxTurns !== undefined) await form.getByLabel('Max turns').fill(values.maxTurns);
  if (values.inPlace === true) await form.getByRole('radio', { name: /In place/ }).check();
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: values.description })).toBeVisible();
}

/** Runs axe over the page as it is; serious or critical violations are reported (soft) for `screen`. */
export async function expectNoSeriousA11yViolations(page: Page, screen: string): Promise<void> {
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

/** The page does not scroll sideways: neither the document nor the main content area. */
export async function horizontalOverflow(page: Page): Promise<{ document: number; content: number }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const content = document.getElementById('content');
    return {
      document: root.scrollWidth - root.clientWidth,
      content: content === null ? 0 : content.scrollWidth - content.clientWidth,
    };
  });
}
