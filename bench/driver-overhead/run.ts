// Driver overhead benchmark: runs one scripted goal (N turns, each a Write then a reply, against the
// fake model) through GoalDriver with the real permission path (the bridge per turn; Claude's own stdio
// in long-lived mode, which starts no bridge), git checkpoints and acceptance, in
// both ways of running Claude Code (a `claude -p` process per turn, and one long-lived stream-json
// process per goal, docs/long-lived-mode.md), then replays the same prompts as bare `claude -p`
// turns. Prints the overhead per turn and the ratio to bare for each mode, and where a driven turn's
// time goes (timestamps taken around each step through the driver's ports). The Claude phase is noisy
// on a shared machine, so the bench runs rounds, rotating the order of the three runs, and reports
// medians.
// Usage: node --import tsx bench/driver-overhead/run.ts [--turns N] [--rounds R]
// (or BENCH_TURNS / BENCH_ROUNDS in the environment).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import {
  DefaultAcceptanceEvaluator,
  GoalDriver,
  type AcceptanceEvaluator,
  type ClaudeProcessMode,
} from '../../src/main/driver/index.js';
import { createPermissionService } from '../../src/main/permission/index.js';
import { permissionTestStores } from '../../tests/helpers/permission-stores.js';
import { GitWorkspaceManager } from '../../src/main/workspace/index.js';
import { DEFAULT_BUDGET, type Goal } from '../../src/shared/domain/goal.js';
import type { DriverEvent } from '../../src/shared/events.js';
import { claudeBin, claudeEnv } from '../../tests/fake-model/claude-env.js';
import { startFakeModel, type FakeScript } from '../../tests/fake-model/server.js';
import { MemoryBindings, MemoryTranscripts } from '../../tests/unit/driver/support/memory-ports.js';

function intOption(flag: string, envName: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  const raw = at > 0 ? process.argv[at + 1] : process.env[envName];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} wants a whole number ≥ 1, got ${raw ?? ''}`);
  return value;
}
const TURNS = intOption('--turns', 'BENCH_TURNS', 5);
const ROUNDS = intOption('--rounds', 'BENCH_ROUNDS', 1);
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
  mkdirSync(repo, { recursive: true });
  const git = (args: string[]): void => void execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'Bench']);
  git(['config', 'user.email', 'bench@example.com']);
  writeFileSync(join(repo, 'README.md'), '# bench\n');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'initial']);
  return repo;
}

/** A timestamp in the driven run: a driver event, or a step seen through one of the driver's ports. */
type Mark = { at: number; event: DriverEvent } | { at: number; step: Step };
type Step =
  | 'spawn'
  | 'exited'
  | 'pre-start'
  | 'pre-end'
  | 'post-start'
  | 'post-end'
  | 'diff-start'
  | 'diff-end'
  | 'accept-start'
  | 'accept-end';

async function runThroughDriver(
  root: string,
  mode: ClaudeProcessMode,
): Promise<{ totalMs: number; prompts: string[]; marks: Mark[] }> {
  const model = await startFakeModel(goalScript());
  const marks: Mark[] = [];
  const mark = (step: Step): void => void marks.push({ at: performance.now(), step });
  const sink = { publish: (event: DriverEvent) => void marks.push({ at: performance.now(), event }) };
  const permissionStores = permissionTestStores();
  const permissions = createPermissionService({
    runtimeDir: join(root, `run-${mode}`),
    bridge: { command: bridge.command, args: bridge.args },
    stores: permissionStores,
    events: sink,
  });
  await permissions.start();
  // The real ports, with a timestamp around each step the driver asks of them.
  const workspaces = new GitWorkspaceManager({ worktreesDir: join(root, `worktrees-${mode}`) });
  const checkpoint = workspaces.checkpoint.bind(workspaces);
  workspaces.checkpoint = async (ws, turnIndex, phase, options) => {
    mark(`${phase}-start`);
    try {
      return await checkpoint(ws, turnIndex, phase, options);
    } finally {
      mark(`${phase}-end`);
    }
  };
  const diffStat = workspaces.diffStat.bind(workspaces);
  workspaces.diffStat = async (ws, from, to) => {
    mark('diff-start');
    try {
      return await diffStat(ws, from, to);
    } finally {
      mark('diff-end');
    }
  };
  const transcripts = new MemoryTranscripts();
  const recordProcess = transcripts.recordProcess.bind(transcripts);
  transcripts.recordProcess = (...args) => {
    mark('spawn');
    recordProcess(...args);
  };
  const clearProcess = transcripts.clearProcess.bind(transcripts);
  transcripts.clearProcess = (goalId) => {
    mark('exited');
    clearProcess(goalId);
  };
  const evaluator = new DefaultAcceptanceEvaluator();
  const acceptance: AcceptanceEvaluator = {
    evaluate: async (criteria, path, options) => {
      mark('accept-start');
      try {
        return await evaluator.evaluate(criteria, path, options);
      } finally {
        mark('accept-end');
      }
    },
  };
  const driver = new GoalDriver(
    { events: sink, bindings: new MemoryBindings(), transcripts, workspaces, permissions },
    {
      claudeBin,
      env: claudeEnv({ baseUrl: model.url, configDir: join(root, `claude-config-${mode}`) }),
      goalFilesDir: join(root, `goals-${mode}`),
      acceptance,
      claudeProcess: mode,
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
    repoPath: makeRepo(join(root, mode)),
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
      `the scripted goal (${mode}) did not end as planned: ${JSON.stringify(outcome.outcome)} after ${outcome.totalTurns} turns`,
    );
  }
  const prompts = marks.flatMap((m) => ('event' in m && m.event.kind === 'attempt_started' ? [m.event.prompt] : []));
  return { totalMs, prompts, marks };
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

/** One driven turn's steps, in ms (NaN when the step did not happen in that turn). */
interface TurnPhases {
  /** attempt_started → pre-turn checkpoint written (its event published). */
  pre: number;
  /** pre-turn checkpoint done → Claude spawned. */
  spawn: number;
  /** Claude spawned → its result line. */
  claude: number;
  /** result line → the process gone, its leftovers swept and stdout drained. */
  exit: number;
  /** the acceptance checks (they overlap the post-turn checkpoint). */
  acceptance: number;
  /** post-turn checkpoint (its diff included). */
  postCheckpoint: number;
  /** process gone → attempt_completed (acceptance, post checkpoint, diff, bookkeeping). */
  afterExit: number;
  /** result line → attempt_completed (the figure earlier runs of this bench printed). */
  afterResult: number;
  /** attempt_completed → the next attempt_started (or the goal's end). */
  between: number;
}

function phases(marks: Mark[], endAt: number): TurnPhases[] {
  const rows: TurnPhases[] = [];
  let at = new Map<string, number>();
  let completedAt: number | null = null;
  const span = (from: string, to: string): number => (at.get(to) ?? NaN) - (at.get(from) ?? NaN);
  const first = (key: string, time: number): void => void (at.has(key) ? undefined : at.set(key, time));
  for (const m of marks) {
    if ('step' in m) {
      first(m.step, m.at);
      continue;
    }
    const { event } = m;
    if (event.kind === 'attempt_started') {
      const previous = rows[rows.length - 1];
      if (previous !== undefined && completedAt !== null) previous.between = m.at - completedAt;
      at = new Map([['started', m.at]]);
    }
    if (event.kind === 'checkpoint' && event.phase === 'pre') first('pre-event', m.at);
    if (event.kind === 'turn_output' && event.entry.type === 'result') first('result', m.at);
    if (event.kind === 'attempt_completed') {
      completedAt = m.at;
      at.set('completed', m.at);
      rows.push({
        pre: span('started', 'pre-event'),
        spawn: span('pre-end', 'spawn'),
        claude: span('spawn', 'result'),
        exit: span('result', 'exited'),
        acceptance: span('accept-start', 'accept-end'),
        postCheckpoint: span('post-start', 'post-end'),
        afterExit: span('exited', 'completed'),
        afterResult: span('result', 'completed'),
        between: NaN,
      });
    }
  }
  const last = rows[rows.length - 1];
  if (last !== undefined && completedAt !== null) last.between = endAt - completedAt;
  return rows;
}

/** CPU ms used so far by this process and by its children it has reaped (Claude, git, sh). */
function cpuNow(): { own: number; children: number } {
  const usage = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[13], [14]: cutime, cstime in clock ticks (100 per second on Linux)
  const children = ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  return { own: (usage.user + usage.system) / 1000, children };
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU ms spent while `run` ran (this process, and the children reaped meanwhile). */
async function withCpu<T>(run: () => Promise<T>): Promise<{ value: T; cpu: { own: number; children: number } }> {
  const before = cpuNow();
  const value = await run();
  const after = cpuNow();
  return { value, cpu: { own: after.own - before.own, children: after.children - before.children } };
}

function median(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : '—');

interface Cpu {
  own: number;
  children: number;
}

interface DrivenRun {
  totalMs: number;
  phases: TurnPhases[];
  cpu: Cpu;
}

interface Round {
  driven: Record<ClaudeProcessMode, DrivenRun>;
  bare: { totalMs: number; perTurn: number[]; cpu: Cpu };
}

const MODES: readonly ClaudeProcessMode[] = ['per-turn', 'long-lived'];
type Run = ClaudeProcessMode | 'bare';
/** The order of the three runs rotates from round to round, so drift in the machine's load favours none. */
const ORDERS: readonly (readonly Run[])[] = [
  ['per-turn', 'long-lived', 'bare'],
  ['long-lived', 'bare', 'per-turn'],
  ['bare', 'per-turn', 'long-lived'],
];

async function runRound(index: number, prompts: string[] | null): Promise<{ round: Round; prompts: string[] }> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'driver-bench-')));
  try {
    // The bare run replays the driven prompts: in the very first round it cannot go first.
    const order = prompts === null ? ORDERS[0] : ORDERS[index % ORDERS.length];
    const driven: Partial<Record<ClaudeProcessMode, DrivenRun>> = {};
    let bare: Round['bare'] | null = null;
    let replay = prompts;
    for (const run of order ?? []) {
      if (run === 'bare') {
        const { value, cpu } = await withCpu(() => runBare(root, replay ?? []));
        bare = { ...value, cpu };
        continue;
      }
      const { value, cpu } = await withCpu(() => runThroughDriver(root, run));
      const end = value.marks[value.marks.length - 1]?.at ?? 0;
      driven[run] = { totalMs: value.totalMs, phases: phases(value.marks, end), cpu };
      replay ??= value.prompts;
    }
    const perTurn = driven['per-turn'];
    const longLived = driven['long-lived'];
    if (bare === null || perTurn === undefined || longLived === undefined || replay === null)
      throw new Error('a round did not run all three ways');
    return { round: { driven: { 'per-turn': perTurn, 'long-lived': longLived }, bare }, prompts: replay };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `driver overhead benchmark: ${TURNS} turns, each a Write and a reply, against the fake model; ${ROUNDS} round(s), driven per-turn, driven long-lived and bare in rotating order`,
  );
  console.log(`  permission bridge  : ${bridge.label}`);
  const rounds: Round[] = [];
  let prompts: string[] | null = null;
  for (let index = 0; index < ROUNDS; index += 1) {
    const ran = await runRound(index, prompts);
    prompts = ran.prompts;
    rounds.push(ran.round);
    const { driven, bare } = ran.round;
    console.log(
      `  round ${index + 1}: per-turn ${ms(driven['per-turn'].totalMs)}, long-lived ${ms(driven['long-lived'].totalMs)}, bare ${ms(bare.totalMs)}; ratios ${(driven['per-turn'].totalMs / bare.totalMs).toFixed(2)} / ${(driven['long-lived'].totalMs / bare.totalMs).toFixed(2)}`,
    );
  }
  const bareMs = median(rounds.map((round) => round.bare.totalMs));
  console.log(`  bare claude -p     : ${ms(bareMs)} (${ms(bareMs / TURNS)} per turn), median of ${ROUNDS}`);
  for (const mode of MODES) {
    const drivenMs = median(rounds.map((round) => round.driven[mode].totalMs));
    const ratio = median(rounds.map((round) => round.driven[mode].totalMs / round.bare.totalMs));
    console.log(
      `  GoalDriver, ${mode.padEnd(10)}: ${ms(drivenMs)} (${ms(drivenMs / TURNS)} per turn), median of ${ROUNDS}`,
    );
    console.log(`    overhead per turn: ${ms((drivenMs - bareMs) / TURNS)}`);
    console.log(
      `    ratio ${mode}/bare: ${ratio.toFixed(2)} (median of the rounds' ratios)   goal ≤ 1.15   ${ratio <= 1.15 ? 'met' : 'not met'}`,
    );
  }
  // Both driven runs share everything but how Claude Code runs: their ratio is the steadiest view of the mode.
  const modeRatio = median(
    rounds.map((round) => round.driven['long-lived'].totalMs / round.driven['per-turn'].totalMs),
  );
  console.log(`  ratio long-lived/per-turn, both driven: ${modeRatio.toFixed(2)} (median of the rounds' ratios)`);
  const bareTurns = rounds.flatMap((round) => round.bare.perTurn);
  const turnsOf = (mode: ClaudeProcessMode): TurnPhases[] => rounds.flatMap((round) => round.driven[mode].phases);
  const row = (label: string, pick: (turn: TurnPhases) => number): void =>
    console.log(
      `    ${label.padEnd(58)} ${MODES.map((mode) => ms(median(turnsOf(mode).map(pick))).padStart(10)).join(' ')}`,
    );
  console.log(
    `  a driven turn, median of ${turnsOf('per-turn').length} turns: ${MODES.map((m) => m.padStart(10)).join(' ')}`,
  );
  row('attempt_started → pre-turn checkpoint done', (turn) => turn.pre);
  row('pre-turn checkpoint done → Claude spawned / message sent', (turn) => turn.spawn);
  row('Claude spawned / message sent → result line', (turn) => turn.claude);
  row('result line → process gone (— : it stays up)', (turn) => turn.exit);
  row('process gone → attempt_completed', (turn) => turn.afterExit);
  row('  of which acceptance checks', (turn) => turn.acceptance);
  row('  of which post-turn checkpoint + diff (beside acceptance)', (turn) => turn.postCheckpoint);
  row('attempt_completed → next attempt_started', (turn) => turn.between);
  row('result line → attempt_completed', (turn) => turn.afterResult);
  console.log(`    ${'a bare claude -p turn (spawn → exit)'.padEnd(58)} ${ms(median(bareTurns)).padStart(10)}`);
  // CPU does not depend on how busy the machine is the way wall time does: a steadier view of the cost.
  const cpuPerTurn = (pick: (round: Round) => Cpu, part: keyof Cpu): number =>
    median(rounds.map((round) => pick(round)[part])) / TURNS;
  console.log(
    '  CPU per turn (median of the rounds): this process (driver, permission service, fake model) | reaped children',
  );
  for (const mode of MODES) {
    console.log(
      `    driven ${mode}: ${ms(cpuPerTurn((round) => round.driven[mode].cpu, 'own'))} | ${ms(cpuPerTurn((round) => round.driven[mode].cpu, 'children'))}`,
    );
  }
  console.log(
    `    bare: ${ms(cpuPerTurn((round) => round.bare.cpu, 'own'))} | ${ms(cpuPerTurn((round) => round.bare.cpu, 'children'))}`,
  );
}

await main();
