// `overseer run` end to end: the real Claude Code CLI against the fake model, the real host
// (stores, workspace, permission bridge), in a temporary data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { claudeCwd, fixtureRepo } from '../host/support.js';
import { runCli } from '../../helpers/run-cli.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('overseer run', () => {
  let fake: FakeModel;
  afterAll(async () => fake?.close());

  it('drives a goal to done, prints events as JSON lines, and the console data shows it', async () => {
    const repo = fixtureRepo(root);
    const dataDir = join(root, 'data');
    // The Write target must be absolute and inside the worktree: take it from the CLI's own prompt.
    fake = await startFakeModel((ctx) => {
      if (ctx.index === 0)
        return {
          text: 'Writing.',
          toolUses: [{ name: 'Write', input: { file_path: `${claudeCwd(ctx)}/hello.txt`, content: 'hello\n' } }],
        };
      return { text: 'Done.' };
    });
    const env = { ...claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }), OVERSEER_HOME: dataDir };
    const result = await runCli(
      [
        'run',
        '--repo',
        repo,
        '--goal',
        'create hello.txt',
        '--accept',
        'test -f hello.txt',
        '--permissions',
        'allow',
        '--json',
        '--claude',
        claudeBin,
        '--max-turns',
        '3',
      ],
      env,
    );
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; outcome?: { outcome: { kind: string } } });
    expect(result.stderr).toBe('');
    expect(lines.at(-1)?.kind).toBe('goal_completed');
    expect(lines.at(-1)?.outcome?.outcome.kind).toBe('done');
    expect(lines.map((l) => l.kind)).toContain('permission_decided');
    expect(result.code).toBe(0);
    expect(result.leftovers).toEqual([]);

    const listed = await runCli(['goals', '--json'], { ...process.env, OVERSEER_HOME: dataDir });
    const goals = JSON.parse(listed.stdout) as { id: string; status: string; description: string }[];
    expect(goals).toHaveLength(1);
    expect(goals[0]).toMatchObject({ status: 'done', description: 'create hello.txt' });
    const worktree = join(dataDir, 'worktrees', goals[0]!.id);
    expect(readFileSync(join(worktree, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(repo, 'hello.txt'))).toBe(false);
    const shown = await runCli(['show', goals[0]!.id.slice(0, 8)], { ...process.env, OVERSEER_HOME: dataDir });
    expect(shown.stdout).toContain('status done');
    expect(shown.code).toBe(0);
  });

  it('applies a rules file (what no rule allows is denied) and exits 2 when the budget runs out', async () => {
    const repo = fixtureRepo(root);
    const dataDir = join(root, 'data-rules');
    const rules = join(root, 'rules.json');
    writeFileSync(rules, JSON.stringify([{ tool: 'Bash', pattern: 'git status*', decision: 'allow' }]));
    const model = await startFakeModel((ctx) =>
      ctx.index === 0
        ? {
            text: 'Writing.',
            toolUses: [{ name: 'Write', input: { file_path: `${claudeCwd(ctx)}/blocked.txt`, content: 'x\n' } }],
          }
        : { text: 'I could not write it.' },
    );
    try {
      const env = {
        ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config-rules') }),
        OVERSEER_HOME: dataDir,
      };
      const result = await runCli(
        [
          'run',
          '--repo',
          repo,
          '--goal',
          'write blocked.txt',
          '--accept',
          'test -f blocked.txt',
          '--permissions',
          `rules:${rules}`,
          '--max-turns',
          '1',
          '--claude',
          claudeBin,
        ],
        env,
      );
      expect(result.stdout).toMatch(/Write denied .*No rule in .*rules\.json allows this call/);
      expect(result.stdout).toContain('budget exhausted: turns');
      expect(result.code).toBe(2);
      expect(result.leftovers).toEqual([]);
      expect(model.requests[1]?.lastToolResults[0]).toMatchObject({
        isError: true,
        content: expect.stringContaining('No rule in'),
      });
    } finally {
      await model.close();
    }
  });

  it('exits 1 with a message naming what is wrong', async () => {
    const env = { ...process.env, OVERSEER_HOME: join(root, 'data-bad'), PATH: '/usr/bin:/bin', SHELL: '/bin/false' };
    const repo = fixtureRepo(root);
    const cases: [string[], RegExp][] = [
      [['run', '--goal', 'x'], /--repo DIR is required/],
      [['run', '--repo', join(root, 'missing'), '--goal', 'x'], /does not exist/],
      [['run', '--repo', root, '--goal', 'x'], /not a git repository/],
      [['run', '--repo', repo, '--goal', 'x', '--max-wall', 'soon'], /--max-wall/],
      [['run', '--repo', repo, '--goal', 'x', '--max-turns', '-3'], /--max-turns/],
      [['run', '--repo', repo, '--goal', 'x', '--permissions', 'maybe'], /--permissions must be/],
      [['run', '--repo', repo, '--goal', 'x', '--permissions', 'allow'], /Claude Code|claude/],
      [['run', '--repo', repo, '--goal', 'x', '--permissions', 'ask', '--claude', claudeBin], /interactive terminal/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, env);
      expect({ args, code: result.code }).toEqual({ args, code: 1 });
      expect(result.stderr).toMatch(message);
      expect(result.leftovers).toEqual([]);
    }
  });
});
