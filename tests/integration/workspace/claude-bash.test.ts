// A turn of the real Claude Code CLI (against the scripted fake model) changes files with the Bash
// tool in a goal worktree: the post checkpoint sees every change (new, edited, deleted, renamed,
// nothing ignored), the stat equals plain `git diff -M`, and rollback undoes it all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { claudeBin, claudeEnv, scriptSteps } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import {
  expectedDiff,
  filesOnDisk,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
  treeOf,
  type Sandbox,
} from './fixture.js';

let sandbox: Sandbox;
let model: FakeModel | null = null;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(async () => {
  await model?.close();
  model = null;
  sandbox.cleanup();
});

const BASH_COMMAND = [
  "printf 'made by bash\\n' > bash-new.txt",
  'mkdir -p generated/deep && seq 1 50 > generated/deep/numbers.txt',
  "printf 'appended by bash\\n' >> src/keep.txt",
  'rm src/remove-me.txt',
  'mv docs/old.md docs/new.md',
  "printf 'noise\\n' > bash.log",
].join(' && ');

describe('changes made by Claude through Bash', () => {
  it('are in the post checkpoint and the stat, and rollback removes them', async () => {
    const repo = makeRepo(sandbox, 'repo', {
      '.gitignore': '*.log\n',
      'src/keep.txt': 'keep\n',
      'src/remove-me.txt': 'bye\n',
      'docs/old.md': Array.from({ length: 20 }, (_, i) => `doc line ${i}\n`).join(''),
    });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');

    model = await startFakeModel(
      scriptSteps([
        { toolUses: [{ name: 'Bash', input: { command: BASH_COMMAND, description: 'make the changes' } }] },
        { text: 'done' },
      ]),
    );
    const configDir = mkdtempSync(join(tmpdir(), 'overseer-claude-config-'));
    try {
      const run = await execa(
        claudeBin,
        [
          '-p',
          'make the changes',
          '--output-format',
          'stream-json',
          '--verbose',
          '--permission-mode',
          'bypassPermissions',
          '--strict-mcp-config',
          '--setting-sources',
          '',
        ],
        {
          cwd: ws.path,
          env: { ...claudeEnv({ baseUrl: model.url, configDir }), IS_SANDBOX: '1' },
          reject: false,
          timeout: 120_000,
        },
      );
      const toolResults = model.requests.flatMap((request) => request.lastToolResults);
      expect(toolResults, `claude stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toHaveLength(1);
      expect(toolResults[0]?.isError, toolResults[0]?.content).toBe(false);
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }

    const post = await manager.checkpoint(ws, 0, 'post');
    expect(post.tree).toBe(independentTree(ws.path));
    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    expect([...stat.files].sort((a, b) => a.path.localeCompare(b.path))).toEqual(expectedDiff(repo, pre.sha, post.sha));
    const byPath = new Map(stat.files.map((file) => [file.path, file]));
    expect(byPath.get('bash-new.txt')).toMatchObject({ status: 'added', added: 1 });
    expect(byPath.get('generated/deep/numbers.txt')).toMatchObject({ status: 'added', added: 50 });
    expect(byPath.get('src/keep.txt')).toMatchObject({ status: 'modified', added: 1, removed: 0 });
    expect(byPath.get('src/remove-me.txt')).toMatchObject({ status: 'deleted' });
    expect(byPath.get('docs/new.md')).toMatchObject({ status: 'renamed', oldPath: 'docs/old.md' });
    expect(byPath.has('bash.log')).toBe(false);

    await manager.rollback(ws, pre.sha);
    expect(independentTree(ws.path)).toBe(treeOf(repo, pre.sha));
    expect(filesOnDisk(ws.path).filter((path) => !path.endsWith('.log'))).toEqual([
      '.gitignore',
      'docs/old.md',
      'src/keep.txt',
      'src/remove-me.txt',
    ]);
  });
});
