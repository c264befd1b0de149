// Event insert throughput: through the store (EventLog.append: buffering, batch transactions,
// projections) beside the floor of a raw better-sqlite3 prepared-insert loop with one transaction
// per batch, same schema for the events table, same pragmas, same machine, same run. The runs
// alternate (raw, store, store mixed; three rounds) so a change in the machine's load hits all three
// alike, and each figure is the best of its three. Beside the throughput (the goal), the CPU time per
// event of the same runs: most of a run is waiting on the disk, which the store does not control.
// Run: node --import tsx bench/events/run.ts [events=100000] [batch=512]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ZERO_USAGE, type Goal } from '../../src/shared/domain/goal.js';
import type { DriverEvent } from '../../src/shared/events.js';
import { openStores } from '../../src/main/store/index.js';
import { testGoal } from '../../tests/helpers/goal.js';

const total = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 512);

function makeGoal(): Goal {
  return testGoal({ description: 'benchmark goal', repoPath: '/tmp/bench', inPlace: true });
}

/** The event stream of a busy turn: mostly turn_output, with the projected kinds mixed in when `mixed`. */
function eventAt(goalId: string, i: number, mixed: boolean): DriverEvent {
  const turnIndex = Math.floor(i / 200);
  if (mixed && i % 200 === 0) {
    return {
      kind: 'attempt_started',
      goalId,
      turnIndex,
      usage: { ...ZERO_USAGE, turns: turnIndex },
      compact: false,
      prompt: '',
    };
  }
  if (mixed && i % 50 === 25) {
    return {
      kind: 'progress',
      goalId,
      turnIndex,
      usage: { ...ZERO_USAGE, turns: turnIndex, tokens: i * 10 },
      lastText: null,
    };
  }
  return {
    kind: 'turn_output',
    goalId,
    turnIndex,
    entry: { type: 'text', text: `step ${i}: reading src/module-${i % 97}.ts and planning the next edit` },
  };
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-bench-events-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Run {
  /** Events per second. */
  rate: number;
  /** CPU µs (user + system) per event. */
  cpuUs: number;
}

/** Starts the clocks of one run; the returned function stops them for `count` events. */
function startRun(): (count: number) => Run {
  const start = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  return (count) => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    return { rate: count / seconds, cpuUs: (cpu.user + cpu.system) / count };
  };
}

function rawLoop(count: number): Run {
  return withTempDir((dir) => {
    const db = new BetterSqlite3(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, goal_id TEXT NOT NULL, kind TEXT NOT NULL,
             payload TEXT NOT NULL, at TEXT NOT NULL);
             CREATE INDEX events_by_goal ON events(goal_id, seq);`);
    const insert = db.prepare('INSERT INTO events (seq, goal_id, kind, payload, at) VALUES (?, ?, ?, ?, ?)');
    const goalId = randomUUID();
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        const event = eventAt(goalId, i, false);
        insert.run(i + 1, event.goalId, event.kind, JSON.stringify(event), new Date().toISOString());
      }
    });
    const stop = startRun();
    for (let from = 0; from < count; from += batch) insertBatch(from, Math.min(count, from + batch));
    const run = stop(count);
    db.close();
    return run;
  });
}

function throughStore(count: number, mixed: boolean): Run {
  return withTempDir((dir) => {
    const stores = openStores(join(dir, 'overseer.db'), { maxBatch: batch });
    const goal = makeGoal();
    stores.events.appendDurable({ kind: 'goal_started', goalId: goal.id, goal });
    const stop = startRun();
    for (let i = 0; i < count; i += 1) stores.events.append(eventAt(goal.id, i, mixed));
    stores.events.flush();
    const run = stop(count);
    if (stores.events.countForGoal(goal.id) !== count + 1) throw new Error('store lost events');
    stores.close();
    return run;
  });
}

// Warm up JIT and the page cache for both paths.
rawLoop(Math.min(total, 10_000));
throughStore(Math.min(total, 10_000), true);

const ROUNDS = 3;
const runs: { raw: Run[]; store: Run[]; mixed: Run[] } = { raw: [], store: [], mixed: [] };
for (let round = 0; round < ROUNDS; round += 1) {
  runs.raw.push(rawLoop(total));
  runs.store.push(throughStore(total, false));
  runs.mixed.push(throughStore(total, true));
}
const best = (list: Run[]): number => Math.max(...list.map((run) => run.rate));
const leastCpu = (list: Run[]): number => Math.min(...list.map((run) => run.cpuUs));
const raw = best(runs.raw);
const store = best(runs.store);
const storeMixed = best(runs.mixed);

const fmt = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} events/s`;
console.log(
  `events: ${total.toLocaleString('en-US')} per run, batch ${batch}, best of ${ROUNDS} alternating rounds, node ${process.version}`,
);
console.log(`raw better-sqlite3 prepared insert, 1 tx per batch : ${fmt(raw)}`);
console.log(`store EventLog.append (turn_output only)           : ${fmt(store)}  ratio ${(store / raw).toFixed(2)}`);
console.log(
  `store EventLog.append (mixed, with projections)    : ${fmt(storeMixed)}  ratio ${(storeMixed / raw).toFixed(2)}`,
);
console.log(
  `CPU per event (least of the runs): raw ${leastCpu(runs.raw).toFixed(2)} µs, store ${leastCpu(runs.store).toFixed(2)} µs, ` +
    `mixed ${leastCpu(runs.mixed).toFixed(2)} µs`,
);
const verdict = (ratio: number): string => `goal ≥ 0.9: ${ratio >= 0.9 ? 'met' : 'not met'}`;
console.log(
  `goals: turn_output only ${(store / raw).toFixed(2)} (${verdict(store / raw)}); mixed ${(storeMixed / raw).toFixed(2)} (${verdict(storeMixed / raw)})`,
);
