// `overseer land` and `overseer open` through the host's commands (in-process host on the data
// directory): a worktree goal with work in its worktree is shown, merged into main (squashed, the
// user's checkout updated), and its folder printed. No Claude turn is needed: the goal is stopped
// right after its setup, and the work is written into the worktree here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHost } from '../../../src/main/host/host.js';
import { runCli } from '../../../src/main/cli/main.js';
import { claudeBin } from '../../fake-model/claude-env.js';
import { fixtureRepo, waitFor } from '../host/support.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-cli-land-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('shows, merges and opens a goal from the command line', async () => {
  const repo = fixtureRepo(root);
  const dataDir = join(root, 'data');
  const host = await createHost({
    mode: 'cli',
    dataDir,
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { env: { ...process.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } },
  });
  let goalId = '';
  try {
    const created = await host.dispatcher.invoke(
      'goal.create',
      { description: 'Add the notes file', repoPath: repo, setup: { commands: ['true'], copy: [], shared: [] } },
      { transport: 'local' },
    );
    if (!created.ok) throw new Error(created.error.message);
    goalId = (created.value as { goalId: string }).goalId;
    await waitFor(
      () =>
        host.stores.events
          .eventsForGoal(goalId, { afterSeq: 0, limit: 1000 })
          .some((e) => e.event.kind === 'setup_finished'),
      'setup',
      120_000,
    );
    if (host.runner.isRunning(goalId)) await host.dispatcher.invoke('goal.cancel', { goalId }, { transport: 'local' });
    await host.runner.finished(goalId);
  } finally {
    await host.close();
  }
  const worktree = join(dataDir, 'worktrees', goalId);
  writeFileSync(join(worktree, 'notes.txt'), 'from the goal\n');
  const lines: string[] = [];
  const out = (line: string): void => void lines.push(line);

  expect(await runCli(['land', goalId.slice(0, 8), '--data-dir', dataDir], out)).toBe(0);
  expect(lines.join('\n')).toContain('1 changed file(s) not committed anywhere');
  lines.length = 0;
  expect(
    await runCli(['land', goalId.slice(0, 8), '--merge', '--message', 'Add notes', '--data-dir', dataDir], out),
  ).toBe(0);
  expect(lines.join('\n')).toMatch(/into main/);
  expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('from the goal\n');
  expect(execFileSync('git', ['log', '-1', '--format=%s', 'main'], { cwd: repo, encoding: 'utf8' }).trim()).toBe(
    'Add notes',
  );
  lines.length = 0;
  expect(await runCli(['open', goalId.slice(0, 8), '--data-dir', dataDir], out)).toBe(0);
  expect(lines).toEqual([worktree]);
  expect(await runCli(['land', goalId.slice(0, 8), '--commit', '--merge', '--data-dir', dataDir], out)).toBe(1);
}, 300_000);
