// Long-lived Claude Code measurement: the same N turns (each a Write then a short reply, against the
// fake model, acceptEdits) run (a) as N `claude -p` processes chained with --resume, which is what
// the driver does per turn today, and (b) as one process in stream-json input mode
// (`--input-format stream-json`), one user message per turn, each turn ending with its `result`
// line. Runs alternate (a, b, a, b) so load hits both alike. Prints per-turn medians and the ratio
// b/a; see docs/long-lived-mode.md for what this does and does not show.
//   node --import tsx bench/long-lived/run.ts [--turns 5] [--rounds 2]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { z } from 'zod';
import { claudeBin, claudeEnv } from '../../tests/fake-model/claude-env.js';
import { startFakeModel, type FakeScript } from '../../tests/fake-model/server.js';

const { values } = parseArgs({
  options: { turns: { type: 'string', default: '5' }, rounds: { type: 'string', default: '2' } },
});
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

async function longLived(root: string): Promise<{ turns: number[]; startToFirstResult: number }> {
  const model = await startFakeModel(script());
  const cwd = join(root, 'long-lived');
  mkdirSync(cwd);
  const env = claudeEnv({ baseUrl: model.url, configDir: join(root, 'config-long-lived') });
  const spawned = performance.now();
  const child = spawn(claudeBin, ['-p', '--input-format', 'stream-json', ...BASE_ARGS], {
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
  let startToFirstResult = 0;
  try {
    for (let turn = 1; turn <= TURNS; turn += 1) {
      const started = performance.now();
      const result = new Promise<z.infer<typeof ResultLineSchema>>((resolve) => (waiting = resolve));
      child.stdin.write(
        `${JSON.stringify({ type: 'user', message: { role: 'user', content: `Write turn-${turn}.txt` } })}\n`,
      );
      const line = await result;
      if (line.is_error) throw new Error(`long-lived turn ${turn} failed: ${JSON.stringify(line)}`);
      turns.push(performance.now() - started);
      if (turn === 1) startToFirstResult = performance.now() - spawned;
    }
    child.stdin.end();
    const code = await exited;
    if (code !== 0) throw new Error(`the long-lived process exited ${code}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGINT');
    await model.close();
  }
  return { turns, startToFirstResult };
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
  console.log(
    `  ratio long-lived / per-turn: ${(b / a).toFixed(2)}x (informational: the default stays per-turn, see docs/long-lived-mode.md)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
