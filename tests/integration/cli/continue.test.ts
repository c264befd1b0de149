// `overseer run` ends at a cap by default (exit 2), and `overseer continue GOAL NOTE --turns N`
// goes on with the same goal in the same worktree until its check passes (exit 0): the real CLI
// (ours and Claude Code's) against the fake model, in a temporary data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { claudeCwd, fixtureRepo } from '../host/support.js';
import { runCli } from '../../helpers/run-cli.js';

let root: string;
let fake: FakeModel;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-cli-continue-'));
  fake = await startFakeModel((ctx) => {
    if (ctx.lastToolResults.length > 0) return { text: 'Done.' };
    if (ctx.lastUserText.includes('CONTINUE-NOTE'))
      return {
        text: 'Writing.',
        toolUses: [{ name: 'Write', input: { file_path: `${claudeCwd(ctx)}/done.txt`, content: 'ok\n' } }],
      };
    return { text: 'Not yet.' };
  });
});
afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('overseer continue', () => {
  it('continues a goal that ran out of turns with a note and more turns, in the same worktree', async () => {
    const repo = fixtureRepo(root);
    const dataDir = join(root, 'data');
    const env = {
      ...claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }),
      OVERSEER_HOME: dataDir,
      OVERSEER_CLAUDE_BIN: claudeBin,
    };
    const run = await runCli(
      [
        'run',
        '--repo',
        repo,
        '--goal',
        'write done.txt',
        '--accept',
        'test -f done.txt',
        '--permissions',
        'allow',
        '--max-turns',
        '1',
        '--claude',
        claudeBin,
      ],
      env,
    );
    expect(run.stdout).toContain('budget exhausted: turns');
    expect(run.code).toBe(2);
    const goals = JSON.parse((await runCli(['goals', '--json'], env)).stdout) as { id: string; status: string }[];
    const goalId = goals[0]?.id ?? '';
    expect(goals[0]?.status).toBe('budget_exhausted');

    // No more turns: refused, naming the axis.
    const refused = await runCli(['continue', goalId.slice(0, 8), 'CONTINUE-NOTE write done.txt'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/turns budget is used up/);

    const continued = await runCli(
      ['continue', goalId.slice(0, 8), 'CONTINUE-NOTE write done.txt', '--turns', '2', '--json'],
      env,
    );
    const lines = continued.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; outcome?: { outcome: { kind: string }; totalTurns: number } });
    expect(lines.at(-1)?.kind).toBe('goal_completed');
    expect(lines.at(-1)?.outcome?.outcome.kind).toBe('done');
    expect(lines.at(-1)?.outcome?.totalTurns).toBe(2);
    expect(continued.code).toBe(0);
    expect(existsSync(join(dataDir, 'worktrees', goalId, 'done.txt'))).toBe(true);
    const noted = fake.requests.filter((request) => request.lastUserText.includes('CONTINUE-NOTE'));
    expect(noted[0]?.lastUserText).toContain('[Turn 2/3]');
    expect(claudeCwd(noted[0]!)).toBe(join(dataDir, 'worktrees', goalId));
  }, 300_000);

  it('--on-budget pause needs a terminal when no console runs', async () => {
    const repo = fixtureRepo(root);
    const env = { ...process.env, OVERSEER_HOME: join(root, 'data-pause') };
    const result = await runCli(
      ['run', '--repo', repo, '--goal', 'x', '--permissions', 'allow', '--on-budget', 'pause', '--claude', claudeBin],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--on-budget pause needs an interactive terminal/);
  });
});
