// A worktree goal on a Node project whose tests run with a real devDependency test runner, driven
// by `overseer run` (the real Claude Code CLI against the fake model). The runner is a tiny package
// inside the repository (tools/tiny-test, a `file:` devDependency with a bin), so `npm ci` in the
// new worktree installs it offline and fast, exactly as it would a registry package: lockfile, a
// node_modules/.bin link, `npm test` finding it. With `--setup "npm ci"` the goal reaches done;
// without it the CLI prints the lockfile hint and the acceptance evidence carries the runner's
// own "not found" message.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { claudeCwd } from '../host/support.js';
import { CLI_BUILT, runCli } from '../../helpers/run-cli.js';

let root: string;
let repo: string;

const RUNNER = `#!/usr/bin/env node
// tiny-test: runs every test/*.test.js, prints "N passing" / "N failing", exits 1 on a failure.
const { readdirSync } = require('fs');
const { join } = require('path');
const dir = join(process.cwd(), 'test');
let passed = 0, failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.js'))) {
  try { require(join(dir, file)); passed++; console.log('  ok ' + file); }
  catch (e) { failed++; console.log('  FAIL ' + file + ': ' + e.message); }
}
console.log(passed + ' passing');
if (failed > 0) { console.log(failed + ' failing'); process.exit(1); }
`;

function makeNodeProject(parent: string): string {
  const dir = mkdtempSync(join(parent, 'node-project-'));
  const write = (path: string, text: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    'tools/tiny-test/package.json',
    JSON.stringify({ name: 'tiny-test', version: '1.0.0', bin: { 'tiny-test': 'bin.js' } }, null, 2),
  );
  write('tools/tiny-test/bin.js', RUNNER);
  write(
    'package.json',
    JSON.stringify(
      {
        name: 'fixture-app',
        version: '1.0.0',
        private: true,
        scripts: { test: 'tiny-test' },
        devDependencies: { 'tiny-test': 'file:tools/tiny-test' },
      },
      null,
      2,
    ),
  );
  write('.gitignore', 'node_modules/\n');
  write(
    'test/add.test.js',
    "const add = require('../src/add');\nif (add(2, 3) !== 5) throw new Error('add(2, 3) should be 5, got ' + add(2, 3));\n",
  );
  const run = (cmd: string, args: string[]): void => void execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
  run('npm', ['install', '--offline', '--no-audit', '--no-fund']); // writes package-lock.json (no network for a file: dependency)
  run('git', ['init', '-q', '-b', 'main']);
  run('git', ['config', 'user.email', 't@example.com']);
  run('git', ['config', 'user.name', 'T']);
  run('git', ['add', '.']);
  run('git', ['commit', '-qm', 'init']);
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-setup-'));
  repo = makeNodeProject(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

type Line = {
  kind: string;
  outcome?: { outcome: { kind: string } };
  verdict?: { met: boolean; failures: { evidence: string | null; message: string }[] };
  ok?: boolean;
};

describe('a worktree goal on a Node project', () => {
  let fake: FakeModel | null = null;
  afterAll(async () => fake?.close());

  it('with `--setup "npm ci"` runs setup before the first turn and reaches done with `npm test` as acceptance', async () => {
    fake = await startFakeModel((ctx) => {
      if (ctx.index === 0)
        return {
          text: 'Writing add.',
          toolUses: [
            {
              name: 'Bash',
              input: {
                command: `mkdir -p ${claudeCwd(ctx)}/src && printf 'module.exports = (a, b) => a + b;\\n' > ${claudeCwd(ctx)}/src/add.js`,
                description: 'write add.js',
              },
            },
          ],
        };
      return { text: 'Done.' };
    });
    const dataDir = join(root, 'data-setup');
    const env = { ...claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }), OVERSEER_HOME: dataDir };
    const result = await runCli(
      [
        'run',
        '--repo',
        repo,
        '--goal',
        'make npm test pass',
        '--accept',
        'npm test',
        '--setup',
        'npm ci --offline --no-audit --no-fund',
        '--permissions',
        'allow',
        '--json',
        '--claude',
        claudeBin,
        '--max-turns',
        '3',
      ],
      env,
      CLI_BUILT,
    );
    if (result.code !== 0)
      console.error(
        result.stderr,
        result.stdout
          .split('\n')
          .filter((line) => line.includes('"turnIndex":0'))
          .join('\n')
          .slice(0, 6000),
      );
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    const kinds = lines.map((line) => line.kind);
    expect(result.stderr).not.toContain('hint');
    expect(kinds.indexOf('setup_started')).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf('setup_finished')).toBeLessThan(kinds.indexOf('attempt_started'));
    expect(lines.find((line) => line.kind === 'setup_finished')?.ok).toBe(true);
    expect(lines.at(-1)?.outcome?.outcome.kind).toBe('done');
    expect(result.code).toBe(0);
    // Setup is not a turn, and its output (node_modules, ignored) is not part of turn 1's diff.
    const diff = lines.find((line) => line.kind === 'checkpoint' && (line as { phase?: string }).phase === 'post') as
      { diffStat?: { files: { path: string }[] } } | undefined;
    expect(diff?.diffStat?.files.map((file) => file.path)).toEqual(['src/add.js']);
  }, 300_000);

  it("without setup shows the lockfile hint and fails with the runner's own message in the acceptance evidence", async () => {
    await fake?.close();
    fake = await startFakeModel((ctx) => {
      if (ctx.index === 0)
        return {
          text: 'Writing add.',
          toolUses: [
            {
              name: 'Bash',
              input: {
                command: `mkdir -p ${claudeCwd(ctx)}/src && printf 'module.exports = (a, b) => a + b;\\n' > ${claudeCwd(ctx)}/src/add.js`,
                description: 'write add.js',
              },
            },
          ],
        };
      return { text: 'Done.' };
    });
    const dataDir = join(root, 'data-nosetup');
    const env = {
      ...claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config-2') }),
      OVERSEER_HOME: dataDir,
    };
    const result = await runCli(
      [
        'run',
        '--repo',
        repo,
        '--goal',
        'make npm test pass',
        '--accept',
        'npm test',
        '--permissions',
        'allow',
        '--json',
        '--claude',
        claudeBin,
        '--max-turns',
        '1',
      ],
      env,
      CLI_BUILT,
    );
    expect(result.stderr).toContain('package-lock.json found');
    expect(result.stderr).toContain('--setup "npm ci"');
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    expect(lines.map((line) => line.kind)).not.toContain('setup_started');
    const verdict = lines.find((line) => line.kind === 'acceptance')?.verdict;
    expect(verdict?.met).toBe(false);
    const evidence =
      verdict?.failures.map((failure) => `${failure.message}\n${failure.evidence ?? ''}`).join('\n') ?? '';
    expect(evidence).toMatch(/tiny-test: (command )?not found/);
    expect(result.code).not.toBe(0);
  }, 300_000);
});
