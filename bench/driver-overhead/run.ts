// Driver overhead benchmark: runs one scripted goal (N turns, each a Write then a reply, against the
// fake model) through GoalDriver with the real permission bridge, git checkpoints and acceptance,
// then replays the same prompts as bare `claude -p` turns. Prints the overhead per turn (everything
// but Claude's own time) and the ratio. Usage: node --import tsx bench/driver-overhead/run.ts [--turns N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { GoalDriver } from '../../src/main/driver/index.js';
import { createPermissionService } from '../../src/main/permission/index.js';
import { permissionTestStores } from '../../tests/helpers/permission-stores.js';
import { GitWorkspaceManager } from '../../src/main/workspace/index.js';
import { DEFAULT_BUDGET, type Goal } from '../../src/shared/domain/goal.js';
import type { DriverEvent } from '../../src/shared/events.js';
import { claudeBin, claudeEnv } from '../../tests/fake-model/claude-env.js';
import { startFakeModel, type FakeScript } from '../../tests/fake-model/server.js';
import { MemoryBindings, MemoryTranscripts } from '../../tests/unit/driver/support/memory-ports.js';

const turnsArg = process.argv.indexOf('--turns');
const TURNS = turnsArg > 0 ? Number(process.argv[turnsArg + 1]) : 5;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The built bridge (what ships) when `npm run build` has run; else the TypeScript source through tsx (dev, slower start). */
const builtBridge = join(repoRoot, 'out/main/permission-bridge.js');
const bridge = existsSync(builtBridge)
  ? { command: process.execPath, args: [builtBridge], label: 'built out/main/permission-bridge.js' }
  : {
      command: process.execPath,
      args: [
        '--import',
        join(repoRoot, 'node_modules/tsx/dist/loader.mjs'),
        join(repoRoot, 'src/main/permission/bridge.ts'),
      ],
      label: 'src/main/permission/bridge.ts through tsx (run `npm run build` to measure the built one)',
    };

/** Each turn: Write turn-<k>.txt, then a short reply. */
function goalScript(): FakeScript {
  let writes = 0;
  return (ctx) => {
    if (ctx.lastToolResults.length > 0) return { text: `wrote turn-${writes}.txt` };
    writes += 1;
    return { toolUses: [{ name: 'Write', input: { file_path: `turn-${writes}.txt`, content: `turn ${writes}\n` } }] };
  };
}

function makeRepo(root: string): string {
  const repo = join(root, 'repo');
  mkdirSync(repo);
  const git = (args: string[]): void => void execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'Bench']);
  git(['config', 'user.email', 'bench@example.com']);
  writeFileSync(join(repo, 'README.md'), '# bench\n');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'initial']);
  return repo;
}

interface Timed {
  at: number;
  event: DriverEvent;
}

async function runThroughDriver(root: string): Promise<{ totalMs: number; prompts: string[]; events: Timed[] }> {
  const model = await startFakeModel(goalScript());
  const events: Timed[] = [];
  const sink = { publish: (event: DriverEvent) => void events.push({ at: performance.now(), event }) };
  const permissionStores = permissionTestStores();
  const permissions = createPermissionService({
    runtimeDir: join(root, 'run'),
    bridge: { command: bridge.command, args: bridge.args },
    stores: permissionStores,
    events: sink,
  });
  await permissions.start();
  const driver = new GoalDriver(
    {
      events: sink,
      bindings: new MemoryBindings(),
      transcripts: new MemoryTranscripts(),
      workspaces: new GitWorkspaceManager({ worktreesDir: join(root, 'worktrees') }),
      permissions,
    },
    {
      claudeBin,
      env: claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config-driver') }),
      goalFilesDir: join(root, 'goals'),
    },
  );
  const goal: Goal = {
    id: crypto.randomUUID(),
    description: 'Write the turn files.',
    acceptance: [
      {
        kind: 'shell_command',
        command: `test -f turn-${TURNS}.txt`,
        expectedExit: 0,
        stdoutMustMatch: null,
        timeoutSecs: 30,
      },
    ],
    budget: { ...DEFAULT_BUDGET, maxTurns: TURNS },
    repoPath: makeRepo(root),
    inPlace: false,
    model: null,
    permissionMode: 'allow-all',
    metadata: {},
    createdAt: new Date().toISOString(),
  };
  permissionStores.addGoal(goal.id, goal.repoPath);
  const started = performance.now();
  const outcome = await driver.runGoal(goal);
  const totalMs = performance.now() - started;
  await driver.shutdown();
  await permissions.close();
  permissionStores.close();
  await model.close();
  if (outcome.outcome.kind !== 'done' || outcome.totalTurns !== TURNS) {
    throw new Error(
      `the scripted goal did not end as planned: ${JSON.stringify(outcome.outcome)} after ${outcome.totalTurns} turns`,
    );
  }
  const prompts = events.flatMap(({ event }) => (event.kind === 'attempt_started' ? [event.prompt] : []));
  return { totalMs, prompts, events };
}

async function runBare(root: string, prompts: string[]): Promise<{ totalMs: number; perTurn: number[] }> {
  const model = await startFakeModel(goalScript());
  const cwd = join(root, 'bare');
  mkdirSync(cwd);
  const env = claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config-bare') });
  let session: string | null = null;
  const perTurn: number[] = [];
  const started = performance.now();
  for (const prompt of prompts) {
    const turnStarted = performance.now();
    const args = [
      '-p',
      prompt,
      '--output-format',
      'stream-json',
      '--verbose',
      '--permission-mode',
      'acceptEdits',
      '--setting-sources',
      'user',
    ];
    if (session !== null) args.push('--resume', session);
    const result = await execa(claudeBin, args, { cwd, env, stdin: 'ignore', reject: false });
    session = /"session_id":"([^"]+)"/.exec(result.stdout)?.[1] ?? session;
    perTurn.push(performance.now() - turnStarted);
  }
  const totalMs = performance.now() - started;
  await model.close();
  return { totalMs, perTurn };
}

/** Per-turn phases from the driver's events: pre-checkpoint, claude (spawn → result), after the result. */
function phases(events: Timed[]): { pre: number; claude: number; post: number }[] {
  const rows: { pre: number; claude: number; post: number }[] = [];
  let start = 0;
  let pre = 0;
  let result = 0;
  for (const { at, event } of events) {
    if (event.kind === 'attempt_started') start = at;
    if (event.kind === 'checkpoint' && event.phase === 'pre') pre = at;
    if (event.kind === 'turn_output' && event.entry.type === 'result') result = at;
    if (event.kind === 'attempt_completed') rows.push({ pre: pre - start, claude: result - pre, post: at - result });
  }
  return rows;
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'driver-bench-')));
  try {
    const driven = await runThroughDriver(root);
    const bare = await runBare(root, driven.prompts);
    const overheadPerTurn = (driven.totalMs - bare.totalMs) / TURNS;
    console.log(`driver overhead benchmark: ${TURNS} turns, each a Write and a reply, against the fake model`);
    console.log(`  permission bridge  : ${bridge.label}`);
    console.log(`  through GoalDriver : ${ms(driven.totalMs)} (${ms(driven.totalMs / TURNS)} per turn)`);
    console.log(`  bare claude -p     : ${ms(bare.totalMs)} (${ms(bare.totalMs / TURNS)} per turn)`);
    console.log(`  overhead per turn  : ${ms(overheadPerTurn)}`);
    const ratio = driven.totalMs / bare.totalMs;
    console.log(`  ratio driver/bare  : ${ratio.toFixed(2)}   goal ≤ 1.15   ${ratio <= 1.15 ? 'met' : 'not met'}`);
    console.log(
      '  per turn (driver): pre-checkpoint | claude incl. permission bridge | post-checkpoint + diff + acceptance',
    );
    phases(driven.events).forEach((row, index) => {
      console.log(
        `    turn ${index + 1}: ${ms(row.pre).padStart(7)} | ${ms(row.claude).padStart(8)} | ${ms(row.post).padStart(7)}   (bare: ${ms(bare.perTurn[index] ?? 0)})`,
      );
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
