// Benchmark: a goal's worktree made ready to run: GitWorkspaceManager.ensure (worktree on a new
// branch + base ref) + copying ignored files (`.env`, `config/*.local.json`, with an ignored
// node_modules of 2,000 files the copy walk must not descend into) + a no-op setup command
// (`true` through sh, in its own process group), beside plain `git worktree add -b` (git spawned
// directly) on the same repository in the same run. Repositories of 1k and 10k tracked files.
// Medians over the rounds.
//
//   node --import tsx bench/worktree/run.ts [sizes, e.g. 1000,10000] [rounds, default 5]
//
// Goal: Overseer's ready worktree within 1.5× of plain `git worktree add` plus 100 ms.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitWorkspaceManager } from '../../src/main/workspace/index.js';
import { copyMatchingFiles, runSetupCommand } from '../../src/main/workspace/setup.js';
import { testGoal } from '../../tests/helpers/goal.js';

const execFileAsync = promisify(execFile);

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toUpperCase().startsWith('GIT_')) env[key] = value;
  return {
    ...env,
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: gitEnv(), maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function generateRepo(root: string, count: number): Promise<string> {
  const repo = join(root, `repo-${count}`);
  for (let i = 0; i < count; i += 1) {
    const dir = join(repo, `pkg${Math.floor(i / 1000)}`, `mod${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file${i}.ts`), `export const value${i} = ${i};\n`);
  }
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n.env\n*.local.json\n');
  await git(repo, ['init', '-q', '-b', 'main']);
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-qm', 'generated']);
  // Ignored files: what the copy globs pick, and a node_modules it must skip.
  writeFileSync(join(repo, '.env'), 'TOKEN=local\n');
  mkdirSync(join(repo, 'config'), { recursive: true });
  writeFileSync(join(repo, 'config', 'db.local.json'), '{"url":"local"}\n');
  for (let i = 0; i < 2000; i += 1) {
    const dir = join(repo, 'node_modules', `dep${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `index${i}.js`), 'module.exports = 1;\n');
  }
  return repo;
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
  const rounds = Number(process.argv[3] ?? '5');
  const root = mkdtempSync(join(tmpdir(), 'overseer-bench-worktree-'));
  try {
    console.log('bench/worktree: ready worktree (ensure + copy + no-op setup) vs plain `git worktree add -b`');
    console.log('goal: within 1.5× of plain git worktree add + 100 ms');
    for (const size of sizes) {
      const repo = await generateRepo(root, size);
      const plain: number[] = [];
      const ours: number[] = [];
      let copiedCount = 0;
      for (let round = 0; round < rounds; round += 1) {
        const plainTarget = join(root, `plain-${size}-${round}`);
        let start = performance.now();
        await git(repo, ['worktree', 'add', '-q', '-b', `plain/${size}-${round}`, plainTarget, 'HEAD']);
        plain.push(performance.now() - start);

        const manager = new GitWorkspaceManager({ worktreesDir: join(root, `data-${size}`, 'worktrees') });
        const goal = testGoal({ repoPath: repo });
        start = performance.now();
        const ws = await manager.ensure(goal);
        const copied = await copyMatchingFiles(ws.repoPath, ws.path, ['.env', 'config/*.local.json']);
        const setup = await runSetupCommand('true', { cwd: ws.path, onOutput: () => undefined });
        ours.push(performance.now() - start);
        copiedCount = copied.length;
        if (setup.exitCode !== 0) throw new Error('the no-op setup failed');
      }
      const p = median(plain);
      const o = median(ours);
      const met = o <= p * 1.5 + 100;
      console.log(
        `${String(size).padStart(6)} files: plain git worktree add ${p.toFixed(0)} ms; Overseer ready worktree ${o.toFixed(0)} ms ` +
          `(${(o / p).toFixed(2)}×, ${copiedCount} files copied) — ${met ? 'met' : 'not met'}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
