// `overseer run` in long-lived mode (OVERSEER_CLAUDE_PROCESS=long-lived, passed to the CLI explicitly):
// the real Claude Code CLI against the fake model drives a goal over two turns in ONE Claude process,
// each turn's Write asked on Claude's own stdio and allowed by a rules file, to done, leaving nothing
// running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { claudeCwd, fixtureRepo } from '../host/support.js';
import { processesMatching } from '../driver/support/procs.js';
import { runCli } from '../../helpers/run-cli.js';

let root: string;
let fake: FakeModel | null = null;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-cli-long-lived-'));
});
afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('overseer run, long-lived mode', () => {
  it('drives a goal to done over two turns in one Claude process, Writes allowed by a rule', async () => {
    const repo = fixtureRepo(root);
    const dataDir = join(root, 'data');
    const rules = join(root, 'rules.json');
    writeFileSync(rules, JSON.stringify([{ tool: 'Write', decision: 'allow' }]));
    // The live Claude processes of this test's goal (they run in its worktree, under its data directory),
    // seen from the model at each request: the process making the request is alive then.
    const liveAtRequest: number[][] = [];
    const liveClaudes = () =>
      processesMatching('--input-format stream-json').filter((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`).startsWith(dataDir);
        } catch {
          return false;
        }
      });
    fake = await startFakeModel((ctx) => {
      if (ctx.lastToolResults.length > 0) return { text: `Wrote it (${ctx.index}).` };
      liveAtRequest.push(liveClaudes());
      const file = liveAtRequest.length === 1 ? 'first.txt' : 'second.txt';
      return {
        text: `Writing ${file}.`,
        toolUses: [{ name: 'Write', input: { file_path: `${claudeCwd(ctx)}/${file}`, content: 'x\n' } }],
      };
    });
    const env = {
      ...claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }),
      OVERSEER_HOME: dataDir,
      OVERSEER_CLAUDE_PROCESS: 'long-lived',
    };
    const result = await runCli(
      [
        'run',
        '--repo',
        repo,
        '--goal',
        'create first.txt, then second.txt',
        '--accept',
        'test -f second.txt',
        '--permissions',
        `rules:${rules}`,
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
      .map((line) => JSON.parse(line) as { kind: string; toolName?: string; outcome?: { outcome: { kind: string } } });
    expect(result.stderr).toBe('');
    expect(lines.at(-1)?.kind).toBe('goal_completed');
    expect(lines.at(-1)?.outcome?.outcome.kind).toBe('done');
    expect(lines.filter((l) => l.kind === 'permission_decided').map((l) => l.toolName)).toEqual(['Write', 'Write']);
    expect(lines.filter((l) => l.kind === 'attempt_completed')).toHaveLength(2);
    expect(result.code).toBe(0);
    expect(result.leftovers).toEqual([]);
    // Both turns were made by the same single live process.
    expect(liveAtRequest).toHaveLength(2);
    expect(liveAtRequest[0]).toHaveLength(1);
    expect(liveAtRequest[1]).toEqual(liveAtRequest[0]);
    expect(fake.requests.flatMap((r) => r.lastToolResults.filter((t) => t.isError))).toEqual([]);
    const worktrees = readdirSync(join(dataDir, 'worktrees'));
    expect(worktrees).toHaveLength(1);
    expect(readFileSync(join(dataDir, 'worktrees', worktrees[0]!, 'second.txt'), 'utf8')).toBe('x\n');
  });
});
