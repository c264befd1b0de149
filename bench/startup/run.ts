// Startup benchmark: with 1,000 goals and 1M stored events in the database, how long until (a) the
// console (`overseer serve` from the build, opened in Chromium) shows its first goal in the list,
// counted from starting the host, and (b) `overseer goals` prints the list and exits; beside the floor
// measured in the same run: a Node process that opens the same database with better-sqlite3 and reads
// one row. The goal count's own cost is judged against a database of 10 goals holding the same 1M
// events (so only the number of goals differs); a third database, 10 goals with 1% of the events,
// shows what the database's size adds. Each console figure also gives its part until the host
// printed its URL. Runs alternate; medians are printed.
// Chromium is launched once before the runs (the desktop app's window is not part of this figure).
// Build first (npx electron-vite build). Seeding the events takes a minute or more on a busy machine.
//   node --import tsx bench/startup/run.ts [--goals 1000] [--events 1000000] [--runs 3] [--keep DIR]
// --keep DIR seeds into DIR/big, DIR/ten and DIR/ten-light once and reuses them on later runs
// (e.g. before/after; a build older than the database's schema refuses to open it).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { z } from 'zod';
import { builtCli, repoRoot, serveConsole } from '../../tests/helpers/serve.js';
import { seedTimeline } from '../../tests/helpers/seed-timeline.js';

const { values } = parseArgs({
  options: {
    goals: { type: 'string', default: '1000' },
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'string' },
  },
});
const GOALS = z.coerce.number().int().positive().parse(values.goals);
const EVENTS = z.coerce.number().int().positive().parse(values.events);
const RUNS = z.coerce.number().int().positive().parse(values.runs);
const SMALL_GOALS = 10;
const CHROMIUM = process.env['OVERSEER_CHROMIUM'] ?? '/usr/bin/chromium';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A data directory with `goals` goals sharing `events` events (each goal a realistic seeded history). */
function seed(goals: number, events: number, keep: string | null): string {
  if (keep !== null && existsSync(join(keep, 'overseer.db'))) return keep;
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'overseer-bench-startup-'));
  mkdirSync(dataDir, { recursive: true });
  const perGoal = Math.max(40, Math.floor(events / goals));
  for (let i = 0; i < goals; i += 1) seedTimeline(dataDir, perGoal, `Startup bench goal ${i}`);
  return dataDir;
}

/** Runs node with `args` and resolves with ms until it exited (0 required) and its stdout. */
function timedNode(args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

const FLOOR_SCRIPT = `const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { readonly: true });
const row = db.prepare('SELECT id FROM goals LIMIT 1').get();
if (row === undefined) process.exit(2);
db.close();`;

function floor(dataDir: string): Promise<number> {
  return timedNode(['-e', FLOOR_SCRIPT, join(dataDir, 'overseer.db')]).then((run) => run.ms);
}

/** `overseer goals --json`; returns its time and how many goals it listed. */
async function goalsCommand(dataDir: string): Promise<{ ms: number; listed: number }> {
  const run = await timedNode([builtCli, 'goals', '--json', '--data-dir', dataDir]);
  const listed = z.array(z.object({ id: z.string() }).loose()).parse(JSON.parse(run.stdout)).length;
  if (listed === 0) throw new Error('overseer goals listed no goals');
  return { ms: run.ms, listed };
}

interface ConsoleStart {
  /** From starting the host to the first goal item painted in the console. */
  firstGoal: number;
  /** The part of it until the host printed its URL (listening, recovery done). */
  hostUp: number;
}

async function consoleFirstGoal(browser: Browser, dataDir: string): Promise<ConsoleStart> {
  const started = performance.now();
  const served = await serveConsole({ dataDir });
  const hostUp = performance.now() - started;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(served.url);
    await page.getByTestId('goal-item').first().waitFor({ timeout: 120_000 });
    return { firstGoal: performance.now() - started, hostUp };
  } finally {
    await page.close();
    await served.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `startup bench: ${GOALS} goals / ${EVENTS.toLocaleString('en-US')} events vs ${SMALL_GOALS} goals, ${RUNS} alternating runs, node ${process.version}`,
  );
  const seedStarted = performance.now();
  const keep = values.keep ?? null;
  const big = seed(GOALS, EVENTS, keep === null ? null : join(keep, 'big'));
  const ten = seed(SMALL_GOALS, EVENTS, keep === null ? null : join(keep, 'ten'));
  const tenLight = seed(
    SMALL_GOALS,
    SMALL_GOALS * Math.max(40, Math.floor(EVENTS / GOALS)),
    keep === null ? null : join(keep, 'ten-light'),
  );
  console.log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const floors: number[] = [];
  const cliBig: number[] = [];
  const consoleBig: ConsoleStart[] = [];
  const consoleTen: ConsoleStart[] = [];
  const consoleTenLight: ConsoleStart[] = [];
  let listed = 0;
  try {
    await floor(big); // warm the page cache
    for (let run = 0; run < RUNS; run += 1) {
      floors.push(await floor(big));
      const cli = await goalsCommand(big);
      cliBig.push(cli.ms);
      listed = cli.listed;
      consoleTenLight.push(await consoleFirstGoal(browser, tenLight));
      consoleTen.push(await consoleFirstGoal(browser, ten));
      consoleBig.push(await consoleFirstGoal(browser, big));
    }
  } finally {
    await browser.close();
    if (keep === null) {
      for (const dir of [big, ten, tenLight]) rmSync(dir, { recursive: true, force: true });
    }
  }
  const f = median(floors);
  const cli = median(cliBig);
  const firstGoal = (runs: ConsoleStart[]) => median(runs.map((run) => run.firstGoal));
  const hostUp = (runs: ConsoleStart[]) => median(runs.map((run) => run.hostUp));
  const bigConsole = firstGoal(consoleBig);
  const tenConsole = firstGoal(consoleTen);
  const tenLightConsole = firstGoal(consoleTenLight);
  const light = Math.max(40, Math.floor(EVENTS / GOALS)) * SMALL_GOALS;
  const line = (label: string, ms: number) =>
    `  ${label.padEnd(64)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / f).toFixed(2)}x the floor`;
  console.log(line('floor: node opens the database, reads one row', f));
  console.log(line(`overseer goals --json (${GOALS} goals; it lists ${listed})`, cli));
  const events = (n: number) => `${n.toLocaleString('en-US')} events`;
  const consoleLines = (label: string, runs: ConsoleStart[]) => {
    console.log(line(`console: host start → first goal painted (${label})`, firstGoal(runs)));
    console.log(line('  of which host start → serving (its URL printed)', hostUp(runs)));
  };
  consoleLines(`${SMALL_GOALS} goals, ${events(light)}`, consoleTenLight);
  consoleLines(`${SMALL_GOALS} goals, ${events(EVENTS)}`, consoleTen);
  consoleLines(`${GOALS} goals, ${events(EVENTS)}`, consoleBig);
  const firstPaint = bigConsole / tenConsole;
  console.log(
    `  the database's size (${SMALL_GOALS} goals, ${events(EVENTS)} vs ${events(light)}): ${(tenConsole / tenLightConsole).toFixed(2)}x (tracked, no goal set)`,
  );
  console.log(
    `  goal: console first goal list with ${GOALS} goals ≤ 1.1x the ${SMALL_GOALS}-goal figure, same events: ${firstPaint.toFixed(2)}x ${firstPaint <= 1.1 ? 'met' : 'not met'}`,
  );
  console.log(
    '  goal for `overseer goals` and cold start against the floor: none set by the issue (the ratios above are tracked, no verdict)',
  );
  console.log(
    JSON.stringify({
      goals: GOALS,
      events: EVENTS,
      floorMs: floors,
      cliMs: cliBig,
      consoleTenLightMs: consoleTenLight,
      consoleTenMs: consoleTen,
      consoleBigMs: consoleBig,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
