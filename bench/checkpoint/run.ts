// Benchmark: per-turn checkpoint + diff stat through GitWorkspaceManager on generated repositories
// of 1k, 10k and 50k files with a small edit per turn, beside the bare git floor measured in the
// same run (temporary-index `add -A` + `write-tree`, git spawned directly, no simple-git).
//
//   node --import tsx bench/checkpoint/run.ts [sizes, e.g. 1000,10000,50000] [turns, default 15]
//
// 15 turns: at 1k files a checkpoint is 20-30 ms, and the median of 5 turns moved the ratio by up to
// 0.3x between runs of the same build; 15 keeps the whole run near two minutes.
//
// A goal's first checkpoint is timed for FIRST_GOALS new goals of the same repository (a worktree
// each), median, after one checkpoint of a small repository has warmed the process: the very first
// checkpoint a process makes also loads and compiles the code it runs (zlib, the index reader),
// about 10 ms here, once per host, not once per goal. That process's first is printed on its own.
//
// Floors: "fresh" = a new empty temporary index each time (the brief's floor); "seeded" = a new
// index seeded with `read-tree HEAD` first; "kept" = a temporary index kept between snapshots (what
// the manager does with its private per-goal index). Medians over the turns.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitWorkspaceManager } from '../../src/main/workspace/index.js';
import type { Goal } from '../../src/shared/domain/goal.js';
import { testGoal } from '../../tests/helpers/goal.js';

const execFileAsync = promisify(execFile);
/** New goals whose first checkpoint is timed per size (one sample varies by several ms at 1k files). */
const FIRST_GOALS = 5;

function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toUpperCase().startsWith('GIT_')) env[key] = value;
  return { ...env, ...extra };
}

async function git(cwd: string, args: string[], extra: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: gitEnv(extra), maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function timed<T>(task: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await task();
  return [result, performance.now() - start];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A repository of `count` small files, 100 per folder, in one commit, packed. */
async function generateRepo(root: string, count: number): Promise<string> {
  const repo = join(root, `repo-${count}`);
  for (let i = 0; i < count; i += 1) {
    const dir = join(repo, `pkg${Math.floor(i / 1000)}`, `mod${Math.floor(i / 100) % 10}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file${i}.ts`), `export const value${i} = ${i};\n// line two of ${i}\n// line three\n`);
  }
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n*.log\n');
  await git(repo, ['init', '-q', '-b', 'main']);
  await git(repo, ['config', 'user.name', 'Bench']);
  await git(repo, ['config', 'user.email', 'bench@example.com']);
  await git(repo, ['config', 'commit.gpgsign', 'false']);
  // No background `gc --auto`: past ~6,700 loose objects `commit` starts one, which then packs the
  // repository while the sizes are measured (competing for the CPU, and moving the trees the
  // checkpoints read from loose files into a pack half way through). The history is packed here
  // instead, before anything is measured, as a real repository's is.
  await git(repo, ['config', 'gc.auto', '0']);
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'generated']);
  await git(repo, ['repack', '-a', '-d', '-q']);
  return repo;
}

function goalFor(repoPath: string): Goal {
  return testGoal({ description: 'checkpoint bench', repoPath, inPlace: false });
}

/** The small edit of turn `turn`: one file changed, one file added. */
function smallEdit(dir: string, turn: number): void {
  writeFileSync(join(dir, 'pkg0', 'mod0', 'file0.ts'), `export const value0 = ${turn};\n// edited in turn ${turn}\n`);
  writeFileSync(join(dir, 'pkg0', `added-in-turn-${turn}.ts`), `export const turn = ${turn};\n`);
}

interface Row {
  files: number;
  /** Median first checkpoint of FIRST_GOALS new goals. */
  firstCheckpoint: number;
  /** Every one of them, sorted. */
  firstCheckpoints: number[];
  /** Turn N+1's pre checkpoint right after turn N's post (nothing changed in between). */
  pre: number;
  checkpoint: number;
  diffStat: number;
  perTurn: number;
  floorFresh: number;
  floorSeeded: number;
  floorKept: number;
}

async function floorSnapshot(dir: string, indexFile: string, seed: boolean): Promise<string> {
  const env = { GIT_INDEX_FILE: indexFile };
  if (seed) await git(dir, ['read-tree', 'HEAD'], env);
  await git(dir, ['add', '-A'], env);
  return (await git(dir, ['write-tree'], env)).trim();
}

async function benchSize(root: string, count: number, turns: number): Promise<Row> {
  const [repo, generateMs] = await timed(() => generateRepo(root, count));
  const manager = new GitWorkspaceManager({ worktreesDir: join(root, 'worktrees') });
  const [ws, ensureMs] = await timed(() => manager.ensure(goalFor(repo)));
  process.stdout.write(
    `  ${count} files: generated and packed in ${(generateMs / 1000).toFixed(1)} s, worktree in ${(ensureMs / 1000).toFixed(1)} s\n`,
  );

  const [, mainFirst] = await timed(() => manager.checkpoint(ws, 0, 'pre'));
  const firstCheckpoints = [mainFirst];
  for (let goal = 1; goal < FIRST_GOALS; goal += 1) {
    const other = await manager.ensure(goalFor(repo));
    firstCheckpoints.push((await timed(() => manager.checkpoint(other, 0, 'pre')))[1]);
    await manager.deleteWorkspace(other);
  }
  firstCheckpoints.sort((a, b) => a - b);
  const checkpointTimes: number[] = [];
  const preTimes: number[] = [];
  const diffTimes: number[] = [];
  const fresh: number[] = [];
  const seeded: number[] = [];
  const kept: number[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'overseer-bench-idx-'));
  const keptIndex = join(scratch, 'kept.index');
  await floorSnapshot(ws.path, keptIndex, false); // warm the kept floor index like the manager's

  for (let turn = 0; turn < turns; turn += 1) {
    const [pre, preMs] = await timed(async () =>
      turn === 0 ? (await manager.listCheckpoints(ws))[0] : await manager.checkpoint(ws, turn, 'pre'),
    );
    if (turn > 0) preTimes.push(preMs);
    if (pre === undefined) throw new Error('no pre checkpoint');
    smallEdit(ws.path, turn);
    const [post, checkpointMs] = await timed(() => manager.checkpoint(ws, turn, 'post'));
    const [stat, diffMs] = await timed(() => manager.diffStat(ws, pre.sha, post.sha));
    if (stat.files.length !== 2) throw new Error(`expected 2 changed files, got ${stat.files.length}`);
    checkpointTimes.push(checkpointMs);
    diffTimes.push(diffMs);

    // The bare git floor, on the same working tree in the same state.
    const freshIndex = join(scratch, `fresh-${turn}.index`);
    const [freshTree, freshMs] = await timed(() => floorSnapshot(ws.path, freshIndex, false));
    const seededIndex = join(scratch, `seeded-${turn}.index`);
    const [seededTree, seededMs] = await timed(() => floorSnapshot(ws.path, seededIndex, true));
    const [keptTree, keptMs] = await timed(() => floorSnapshot(ws.path, keptIndex, false));
    if (freshTree !== post.tree || seededTree !== post.tree || keptTree !== post.tree) {
      throw new Error('the floor snapshots disagree with the checkpoint tree');
    }
    fresh.push(freshMs);
    seeded.push(seededMs);
    kept.push(keptMs);
    rmSync(freshIndex, { force: true });
    rmSync(seededIndex, { force: true });
  }
  rmSync(scratch, { recursive: true, force: true });
  await manager.deleteWorkspace(ws);
  const checkpoint = median(checkpointTimes);
  const diffStat = median(diffTimes);
  return {
    files: count,
    firstCheckpoint: median(firstCheckpoints),
    firstCheckpoints,
    pre: median(preTimes),
    checkpoint,
    diffStat,
    perTurn: checkpoint + diffStat,
    floorFresh: median(fresh),
    floorSeeded: median(seeded),
    floorKept: median(kept),
  };
}

function printRows(rows: Row[]): void {
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const header = [
    'files',
    'first ckpt',
    'next pre',
    'ckpt',
    'diffStat',
    'ckpt+diff',
    'floor fresh',
    'floor seeded',
    'floor kept',
    'ratio/fresh',
    'ratio/kept',
  ];
  const table = rows.map((row) => [
    String(row.files),
    `${ms(row.firstCheckpoint)} [${row.firstCheckpoints.map((value) => value.toFixed(0)).join(', ')}]`,
    ms(row.pre),
    ms(row.checkpoint),
    ms(row.diffStat),
    ms(row.perTurn),
    ms(row.floorFresh),
    ms(row.floorSeeded),
    ms(row.floorKept),
    `${(row.perTurn / row.floorFresh).toFixed(2)}x`,
    `${(row.perTurn / row.floorKept).toFixed(2)}x`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  console.log(line(header));
  for (const cells of table) console.log(line(cells));
  console.log(
    "\nckpt = post-turn checkpoint (add -A spawned directly; tree, commit object and ref written in-process; the diff against the turn's pre runs beside), median of turns;" +
      `\nfirst ckpt = a goal's first checkpoint (no private index yet: seeded from the worktree's own index only when most entries are not racy; a new worktree's are), median of ${FIRST_GOALS} new goals in a warmed process;` +
      '\nfloor = bare git `add -A` + `write-tree` through a temporary index (fresh / seeded with read-tree HEAD / kept);' +
      "\nnext pre = turn N+1's pre checkpoint right after turn N's post (unchanged tree: the post commit is reused);" +
      '\nratio = (ckpt + diffStat) / floor;' +
      '\nthe generated repository is packed before anything is measured (its history in a pack, like a real one), and gc.auto=0 keeps a background gc out of the measurement.',
  );
  console.log('\ngoals:');
  for (const row of rows) {
    const perTurn = row.perTurn / row.floorKept;
    const first = row.firstCheckpoint / row.floorFresh;
    console.log(
      `  ${String(row.files).padStart(6)} files: ckpt+diff / kept floor ${perTurn.toFixed(2)}x (goal ≤ 1.1x: ${perTurn <= 1.1 ? 'met' : 'not met'});` +
        ` first ckpt / fresh floor ${first.toFixed(2)}x (goal ≤ 1.3x: ${first <= 1.3 ? 'met' : 'not met'})`,
    );
  }
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '1000,10000,50000').split(',').map(Number);
  const turns = Number(process.argv[3] ?? '15');
  const { stdout: version } = await execFileAsync('git', ['--version']);
  console.log(`checkpoint bench: ${version.trim()}, node ${process.version}, ${turns} turns per size`);
  const root = mkdtempSync(join(tmpdir(), 'overseer-bench-'));
  try {
    // The process's very first checkpoint, then a second goal's on the same small repository.
    const warmRepo = await generateRepo(root, 100);
    const warmManager = new GitWorkspaceManager({ worktreesDir: join(root, 'warm-worktrees') });
    const warm: number[] = [];
    for (let goal = 0; goal < 2; goal += 1) {
      const ws = await warmManager.ensure(goalFor(warmRepo));
      warm.push((await timed(() => warmManager.checkpoint(ws, 0, 'pre')))[1]);
      await warmManager.deleteWorkspace(ws);
    }
    console.log(
      `  warm-up, 100 files: the process's first checkpoint ${warm[0]?.toFixed(1)} ms (cold code), the next goal's ${warm[1]?.toFixed(1)} ms`,
    );
    const rows: Row[] = [];
    for (const size of sizes) rows.push(await benchSize(root, size, turns));
    console.log('');
    printRows(rows);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
