// Long-lived Claude Code measurement: the same N turns (each a Write then a short reply, against the
// fake model, acceptEdits) run (a) as N `claude -p` processes chained with --resume, which is what
// the driver does per turn today, and (b) as one process in stream-json input mode
// (`--input-format stream-json`), one user message per turn, each turn ending with its `result`
// line. Runs alternate (a, b, a, b) so load hits both alike. Prints per-turn medians and the ratio
// b/a; see docs/long-lived-mode.md for what this does and does not show. Then (c) one stream-json
// process takes --memory-turns turns (default 50) and its resident memory (VmRSS) is read after each
// turn: the goal is memory flat over the turns (RSS at the last turn at most 1.1x the RSS at turn 10).
// Then (d) a new stream-json process resumes that conversation (--resume) and takes one turn: its RSS
// says whether replacing a long-lived process (the runner recycles it) gives the memory back. (c) and
// (d) run Claude Code alone, with no Overseer code in the process or between it and the fake model.
//   node --import tsx bench/long-lived/run.ts [--turns 5] [--rounds 2] [--memory-turns 50]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { z } from 'zod';
import { claudeBin, claudeEnv } from '../../tests/fake-model/claude-env.js';
import { startFakeModel, type FakeScript } from '../../tests/fake-model/server.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    'memory-turns': { type: 'string', default: '50' },
  },
});
const MEMORY_TURNS = z.coerce.number().int().nonnegative().parse(values['memory-turns']);
const TURNS = z.coerce.number().int().positive().parse(values.turns);
const ROUNDS = z.coerce.number().int().positive().parse(values.rounds);
const BASE_ARGS = [
  '--output-format',
  'stream-json',
  '--verbose',
  '--permission-mode',
  'acceptEdits',
  '--setting-sources',
  'user',
];

/** Each turn: Write turn-<k>.txt, then a short reply. */
function script(): FakeScript {
  let writes = 0;
  return (ctx) => {
    if (ctx.lastToolResults.length > 0) return { text: `wrote turn-${writes}.txt` };
    writes += 1;
    return { toolUses: [{ name: 'Write', input: { file_path: `turn-${writes}.txt`, content: `turn ${writes}\n` } }] };
  };
}

const ResultLineSchema = z
  .object({ type: z.literal('result'), subtype: z.string(), is_error: z.boolean(), session_id: z.string() })
  .loose();

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function perTurnProcesses(root: string): Promise<number[]> {
  const model = await startFakeModel(script());
  const cwd = join(root, 'per-turn');
  mkdirSync(cwd);
  const env = claudeEnv({ baseUrl: model.url, configDir: join(root, 'config-per-turn') });
  let session: string | null = null;
  const times: number[] = [];
  try {
    for (let turn = 1; turn <= TURNS; turn += 1) {
      const started = performance.now();
      const args = ['-p', `Write turn-${turn}.txt`, ...BASE_ARGS, ...(session !== null ? ['--resume', session] : [])];
      const result = await execa(claudeBin, args, { cwd, env, stdin: 'ignore', reject: false });
      times.push(performance.now() - started);
      const line = result.stdout
        .split('\n')
        .filter((text) => text.includes('"type":"result"'))
        .pop();
      const parsed = ResultLineSchema.parse(JSON.parse(line ?? 'null'));
      if (parsed.is_error) throw new Error(`per-turn run failed: ${line}`);
      session = parsed.session_id;
    }
  } finally {
    await model.close();
  }
  return times;
}

/** Resident memory of a process in MB (Linux /proc), NaN when it cannot be read. */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match !== null ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function longLived(
  root: string,
  turnCount: number = TURNS,
  /** Resume this session in the same working directory (name under root) instead of starting one. */
  resume: { sessionId: string; cwdName: string } | null = null,
): Promise<{ turns: number[]; startToFirstResult: number; rss: number[]; sessionId: string; cwdName: string }> {
  const model = await startFakeModel(script());
  const cwdName = resume?.cwdName ?? `long-lived-${turnCount}`;
  const cwd = join(root, cwdName);
  if (resume === null) mkdirSync(cwd);
  const env = claudeEnv({ baseUrl: model.url, configDir: join(root, 'config-long-lived') });
  const spawned = performance.now();
  const resumeArgs = resume !== null ? ['--resume', resume.sessionId] : [];
  const child = spawn(claudeBin, ['-p', '--input-format', 'stream-json', ...BASE_ARGS, ...resumeArgs], {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let buffer = '';
  let waiting: ((line: z.infer<typeof ResultLineSchema>) => void) | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (!text.includes('"type":"result"')) continue;
      const parsed = ResultLineSchema.safeParse(JSON.parse(text));
      if (parsed.success) waiting?.(parsed.data);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const turns: number[] = [];
  const rss: number[] = [];
  let startToFirstResult = 0;
  let sessionId = resume?.sessionId ?? '';
  try {
    for (let turn = 1; turn <= turnCount; turn += 1) {
      const started = performance.now();
      const result = new Promise<z.infer<typeof ResultLineSchema>>((resolve) => (waiting = resolve));
      child.stdin.write(
        `${JSON.stringify({ type: 'user', message: { role: 'user', content: `Write turn-${turn}.txt` } })}\n`,
      );
      const line = await result;
      if (line.is_error) throw new Error(`long-lived turn ${turn} failed: ${JSON.stringify(line)}`);
      turns.push(performance.now() - started);
      rss.push(rssMb(child.pid));
      sessionId = line.session_id;
      if (turn === 1) startToFirstResult = performance.now() - spawned;
    }
    child.stdin.end();
    const code = await exited;
    if (code !== 0) throw new Error(`the long-lived process exited ${code}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGINT');
    await model.close();
  }
  return { turns, startToFirstResult, rss, sessionId, cwdName };
}

/** (c): one process over many turns, its RSS after each. */
async function memoryOverTurns(): Promise<void> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'long-lived-memory-')));
  try {
    const run = await longLived(root, MEMORY_TURNS);
    const at = (turn: number): number => run.rss[Math.min(turn, run.rss.length) - 1] ?? Number.NaN;
    const marks = [1, 10, 25, 50, MEMORY_TURNS].filter(
      (turn, index, all) => turn <= MEMORY_TURNS && all.indexOf(turn) === index,
    );
    console.log(`  memory of one stream-json process over ${MEMORY_TURNS} turns (VmRSS after each turn's result):`);
    console.log(`    ${marks.map((turn) => `turn ${turn}: ${at(turn).toFixed(0)} MB`).join(', ')}`);
    const firstHalf = median(run.turns.slice(0, Math.ceil(run.turns.length / 2)));
    const secondHalf = median(run.turns.slice(Math.ceil(run.turns.length / 2)));
    console.log(`    turn time median, first half ${firstHalf.toFixed(0)} ms, second half ${secondHalf.toFixed(0)} ms`);
    const base = at(Math.min(10, MEMORY_TURNS));
    const growth = at(MEMORY_TURNS) / base;
    console.log(
      `    RSS turn ${MEMORY_TURNS} / turn ${Math.min(10, MEMORY_TURNS)}: ${growth.toFixed(2)}x   goal ≤ 1.10x (flat)   ${growth <= 1.1 ? 'met' : 'not met'}`,
    );
    // (d): what replacing the process gives back.
    const resumed = await longLived(root, 1, { sessionId: run.sessionId, cwdName: run.cwdName });
    const fresh = resumed.rss[0] ?? Number.NaN;
    console.log(
      `    a new process resuming that conversation, after its first turn: ${fresh.toFixed(0)} MB ` +
        `(${(fresh / at(MEMORY_TURNS)).toFixed(2)}x the old process at turn ${MEMORY_TURNS}, ` +
        `${(fresh / at(1)).toFixed(2)}x a new conversation's process at turn 1)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const perTurn: number[] = [];
  const lived: number[] = [];
  const firstResults: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'long-lived-bench-')));
    try {
      perTurn.push(...(await perTurnProcesses(root)));
      const run = await longLived(root);
      lived.push(...run.turns);
      firstResults.push(run.startToFirstResult);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  const a = median(perTurn);
  const b = median(lived);
  console.log(
    `long-lived mode: ${TURNS} turns × ${ROUNDS} rounds, each turn a Write and a reply against the fake model`,
  );
  console.log(
    `  per turn, claude -p + --resume (one process a turn)  median ${a.toFixed(0)} ms   (${perTurn.map((t) => t.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  per turn, one stream-json process, a message a turn  median ${b.toFixed(0)} ms   (${lived.map((t) => t.toFixed(0)).join(', ')})`,
  );
  console.log(`  long-lived process: spawn → first result, median ${median(firstResults).toFixed(0)} ms`);
  console.log(`  ratio long-lived / per-turn: ${(b / a).toFixed(2)}x (informational; see docs/long-lived-mode.md)`);
  if (MEMORY_TURNS > 0) await memoryOverTurns();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
