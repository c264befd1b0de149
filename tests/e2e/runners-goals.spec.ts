// Remote goals in one console, end to end in browser mode: a real nats-server on a free loopback
// port, a console served with `--nats URL`, and two runners (`overseer agent`, the build) each
// driving a goal with the real Claude Code CLI against the scripted fake model on its own fixture
// repository. Both goals are started from the console (New goal → Runs on), listed with their
// runner's name, both prompts answered in the console's inbox (the decision then reads "allowed by
// laptop (you)": the runner recorded this console's name), and pause and cancel from the
// console reach the runner (checked with `overseer goals --runner`); a runner killed shows offline
// on its goal's badge.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { claudeBin, claudeEnv } from '../fake-model/claude-env.js';
import { startFakeModel, type FakeModel, type FakeRequestContext, type FakeReply } from '../fake-model/server.js';
import { createFixtureRepo, type FixtureRepo } from '../helpers/fixture-repo.js';
import { startNatsServer, type NatsServer } from '../helpers/nats-server.js';
import { builtCli, repoRoot, serveConsole, type ServedConsole } from '../helpers/serve.js';

const SHOTS = join(repoRoot, 'artifacts', 'screenshots');

let nats: NatsServer;
let model: FakeModel;
let root: string;
let served: ServedConsole;
let repoAlpha: FixtureRepo;
let repoBeta: FixtureRepo;
const agents: { child: ChildProcess; output: () => string }[] = [];

/** Each goal writes one file in its repository (a prompt: the goals ask), then says it is done. */
function script(ctx: FakeRequestContext): FakeReply {
  if (ctx.lastToolResults.length > 0) return { text: 'Done.' };
  const repo = ctx.allUserText.includes('ALPHA') ? repoAlpha.path : repoBeta.path;
  return { toolUses: [{ name: 'Write', input: { file_path: join(repo, 'hello.txt'), content: 'hello\n' } }] };
}

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['OVERSEER_NATS_URL'];
  return env;
}

async function startAgent(name: string): Promise<void> {
  const env = {
    ...cliEnv(),
    ...claudeEnv({ baseUrl: model.url, configDir: join(root, `claude-${name}`) }),
    OVERSEER_CLAUDE_BIN: claudeBin,
  };
  const child = spawn(
    process.execPath,
    [builtCli, 'agent', '--nats', nats.url, '--name', name, '--data-dir', join(root, name), '--heartbeat-ms', '300'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  agents.push({ child, output: () => output });
  await expect.poll(() => output, { timeout: 120_000 }).toContain(`Runner ${name} is online`);
}

/** A goal's status as its runner reports it to `overseer goals --runner NAME --json`. */
async function statusOnRunner(runner: string, description: string): Promise<string> {
  const child = spawn(process.execPath, [builtCli, 'goals', '--json', '--runner', runner, '--nats', nats.url], {
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) return `exit ${code}`;
  const goals = JSON.parse(stdout) as { description: string; status: string }[];
  return goals.find((goal) => goal.description === description)?.status ?? 'missing';
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  root = mkdtempSync(join(tmpdir(), 'overseer-e2e-remote-'));
  repoAlpha = createFixtureRepo();
  repoBeta = createFixtureRepo();
  nats = await startNatsServer();
  model = await startFakeModel(script);
  await startAgent('alpha');
  await startAgent('beta');
  served = await serveConsole({ extraArgs: ['--nats', nats.url, '--name', 'laptop'], env: cliEnv() });
});
test.afterAll(async () => {
  await served?.stop();
  await Promise.all(
    agents.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
  await nats?.close();
  await model?.close();
  repoAlpha?.remove();
  repoBeta?.remove();
  rmSync(root, { recursive: true, force: true });
});

/** The open goal's status badge (the sidebar has one per goal too). */
const goalStatus = (page: Page) => page.getByRole('main').getByTestId('goal-status').first();

async function startGoalOn(page: Page, runner: string, repo: string, description: string, acceptance: string) {
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await form.getByLabel('Runs on').selectOption(runner);
  await form.getByLabel('Repository folder').fill(repo);
  await form.getByLabel('Repository folder').blur();
  await expect(form.getByTestId('repo-check')).toContainText(`Git repository at ${repo} on main`);
  await form.getByLabel('Goal description').fill(description);
  await form.getByLabel('Acceptance commands').fill(acceptance);
  await form.getByLabel('Max turns').fill('3');
  await form.getByRole('radio', { name: /In place/ }).check();
  await form.getByRole('button', { name: 'Start goal' }).click();
  await expect(page.getByRole('heading', { name: description })).toBeVisible({ timeout: 60_000 });
}

test('goals on two runners in one console: listed, prompts answered in the inbox, pause and cancel reach the runner', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);

  // A path that exists only here is checked on the runner too (same machine in this test, so a
  // missing one is the way to see the runner's answer).
  await page.getByRole('button', { name: 'New goal', exact: true }).click();
  const form = page.getByRole('form', { name: 'New goal' });
  await expect(form.getByLabel('Runs on')).toContainText('alpha');
  await form.getByLabel('Runs on').selectOption('beta');
  await form.getByLabel('Repository folder').fill(join(root, 'no-such-repo'));
  await form.getByLabel('Repository folder').blur();
  await expect(form.getByTestId('repo-check')).toHaveAttribute('role', 'alert');

  await startGoalOn(page, 'alpha', repoAlpha.path, 'ALPHA write hello', 'test -f hello.txt');
  await startGoalOn(page, 'beta', repoBeta.path, 'BETA write hello', 'test -f never-written.txt');
  const sidebar = page.getByRole('navigation', { name: 'Goals' });
  await expect(sidebar.getByTestId('goal-item').filter({ hasText: 'ALPHA' }).getByTestId('goal-runner')).toHaveText(
    'on alpha',
  );
  await expect(sidebar.getByTestId('goal-item').filter({ hasText: 'BETA' }).getByTestId('goal-runner')).toHaveText(
    'on beta',
  );

  // Both prompts wait in the console's inbox; pause BETA (open now) while its prompt waits.
  await expect(page.getByRole('button', { name: 'Permission inbox, 2 waiting' })).toBeVisible({ timeout: 120_000 });
  const controls = page.getByRole('toolbar', { name: 'Goal controls' });
  await controls.getByRole('button', { name: 'Pause' }).click();
  await expect(goalStatus(page)).toHaveText('paused', { timeout: 60_000 });
  await expect.poll(() => statusOnRunner('beta', 'BETA write hello'), { timeout: 60_000 }).toBe('paused');

  await page.getByRole('button', { name: /^Permission inbox/ }).click();
  const inbox = page.getByRole('dialog', { name: 'Permission inbox' });
  await expect(inbox.getByRole('option')).toHaveCount(2);
  await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(inbox.getByRole('option')).toHaveCount(1);
  await inbox.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(inbox.getByText('Nothing waiting for you.')).toBeVisible({ timeout: 60_000 });
  await inbox.getByRole('button', { name: 'Close Permission inbox' }).click();

  // ALPHA ends done on its runner, its timeline live in the console.
  await sidebar.getByTestId('goal-item').filter({ hasText: 'ALPHA' }).click();
  await expect(goalStatus(page)).toHaveText('done', { timeout: 120_000 });
  await expect.poll(() => statusOnRunner('alpha', 'ALPHA write hello'), { timeout: 60_000 }).toBe('done');
  // The runner recorded this console as the one that decided: its timeline says so, as "(you)".
  await expect(page.getByRole('main').getByTestId('permission-decision').first()).toHaveText('allowed by laptop (you)');

  // BETA, paused after its allowed turn: cancelled from the console.
  await sidebar.getByTestId('goal-item').filter({ hasText: 'BETA' }).click();
  await expect(goalStatus(page)).toHaveText('paused');
  await page.screenshot({ path: join(SHOTS, 'remote-goals.png') });
  await controls.getByRole('button', { name: 'Cancel goal' }).click();
  await page.getByRole('dialog', { name: 'Cancel goal' }).getByRole('button', { name: 'Cancel the goal' }).click();
  await expect(goalStatus(page)).toHaveText('cancelled', { timeout: 60_000 });
  await expect.poll(() => statusOnRunner('beta', 'BETA write hello'), { timeout: 60_000 }).toBe('cancelled');

  // A runner killed: its goal stays listed as it last was, the badge says the runner is offline.
  agents.find(({ output }) => output().includes('Runner beta is online'))?.child.kill('SIGKILL');
  await expect(sidebar.getByTestId('goal-item').filter({ hasText: 'BETA' }).getByTestId('goal-runner')).toHaveText(
    'on beta · offline',
    { timeout: 60_000 },
  );
  await expect(sidebar.getByTestId('goal-item').filter({ hasText: 'ALPHA' }).getByTestId('goal-runner')).toHaveText(
    'on alpha',
  );
});
