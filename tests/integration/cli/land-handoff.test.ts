// `overseer land GOAL --rebase --hand-to-claude` with no console running (the built CLI, its own
// host in process; the real Claude Code CLI against the fake model): a done goal whose readme
// conflicts with main. The rebase lists the file with its kind and is undone (exit 4); the note
// goes to Claude, the same goal runs one more turn and the command follows it to its end; a second
// rebase finds the branch on top of main and `--merge` lands both sides' work.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeModel, type FakeModel, type FakeRequestContext } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { builtCli } from '../../helpers/serve.js';
import { fixtureRepo } from '../host/support.js';

const RESOLVE = [
  'git add -A && git commit -qm "Work in progress"',
  '(git rebase main > /dev/null 2>&1 || (printf "# merged readme\\n" > README.md && git add README.md && GIT_EDITOR=true git rebase --continue))',
].join(' && ');

function script(ctx: FakeRequestContext) {
  const handed = ctx.allUserText.includes('Rebasing this work onto the latest main');
  if (ctx.lastToolResults.length > 0) return { text: handed ? 'Rebased onto main.' : 'Wrote the files.' };
  if (!handed)
    return {
      text: 'Writing the files.',
      toolUses: [
        {
          name: 'Bash',
          input: {
            command: `printf 'feature\\n' > feature.txt && printf '# goal readme\\n' > README.md`,
            description: 'write',
          },
        },
      ],
    };
  return {
    text: 'Bringing main in.',
    toolUses: [{ name: 'Bash', input: { command: RESOLVE, description: 'rebase onto main' } }],
  };
}

let root: string;
let model: FakeModel;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!existsSync(builtCli)) throw new Error(`build the CLI first (npx electron-vite build): ${builtCli} is missing`);
  root = mkdtempSync(join(tmpdir(), 'overseer-cli-handoff-'));
  model = await startFakeModel(script);
  env = {
    ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }),
    OVERSEER_CLAUDE_BIN: claudeBin,
  };
});
afterAll(async () => {
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [builtCli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

it('hands a conflict to Claude from the command line and follows the goal; then rebase and merge land it', async () => {
  const repo = fixtureRepo(root);
  const dataDir = join(root, 'data');
  const run = await cli(
    'run',
    '--repo',
    repo,
    '--goal',
    'Write the feature and a readme',
    '--accept',
    'test -f feature.txt',
    '--max-turns',
    '1',
    '--permissions',
    'allow',
    '--data-dir',
    dataDir,
  );
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const id = /Land it: overseer land ([0-9a-f]{8})/.exec(run.stdout)?.[1] ?? '';
  expect(id).not.toBe('');
  execFileSync('sh', ['-c', `printf '# main readme\\n' > README.md && git commit -qam 'main readme'`], { cwd: repo });

  const usage = await cli('land', id, '--extra-turns', '2', '--data-dir', dataDir);
  expect(usage.code).toBe(1);
  expect(usage.stderr).toContain('go with --hand-to-claude');

  const handed = await cli('land', id, '--rebase', '--hand-to-claude', '--extra-turns', '2', '--data-dir', dataDir);
  expect(handed.code, handed.stdout + handed.stderr).toBe(4);
  expect(handed.stdout).toContain('README.md: changed by the goal and on main (both modified)');
  expect(handed.stdout).toMatch(
    /Claude continues the goal with the note: up to 2 more turns \(turn 2 of 3 next\); following it here/,
  );
  expect(handed.stderr).toContain('Bringing main in.');
  expect(handed.stdout).toContain(`When you are ready: overseer land ${id} --rebase`);

  const rebased = await cli('land', id, '--rebase', '--data-dir', dataDir);
  expect(rebased.code, rebased.stdout + rebased.stderr).toBe(0);
  expect(rebased.stdout).toContain('already on top of main');
  const merged = await cli('land', id, '--merge', '--message', 'Feature and readme', '--data-dir', dataDir);
  expect(merged.code, merged.stdout + merged.stderr).toBe(0);
  expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# merged readme\n');
  expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('feature\n');
  expect(execFileSync('git', ['log', '-1', '--format=%s', 'main'], { cwd: repo, encoding: 'utf8' }).trim()).toBe(
    'Feature and readme',
  );
}, 600_000);
