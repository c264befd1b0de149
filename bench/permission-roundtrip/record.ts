// The host's step of a permission prompt decided by a rule, without the processes around it: the
// broker decides, records the request and its decision in a database file (WAL), and publishes its
// event into the event log, which commits it on the next tick, after the answer has left. Timed:
// `decide` (what the prompt waits for) and `busy` (decide plus that event commit: how long the host's
// thread is taken per prompt, which the next prompt waits for when it comes right after).
//
// Each setup has its own database file, and the setups take turns in rounds of `--batch` prompts, so a
// busy machine weighs on each alike:
//   - inline: SQLite checkpoints the WAL inside a commit (its default, what the host did before);
//   - background: automatic checkpoints off, a worker thread checkpoints (wal-checkpointer.ts; the host now);
//   - full: as inline, with synchronous=FULL (a sync on every commit), for reference: what a stronger
//     durability setting would cost each prompt;
//   - memory: ':memory:', no file at all (the floor of the record itself).
//
// `--stream-events N` queues N events just before each prompt (as the host logs Claude's stream lines,
// which come in right before its permission prompt): the prompt's record then commits them too.
//
//   node --import tsx bench/permission-roundtrip/record.ts [--prompts 6000] [--batch 500] [--stream-events 0]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PermissionBroker } from '../../src/main/permission/broker.js';
import { openStores, type Stores } from '../../src/main/store/index.js';
import { testGoal } from '../../tests/helpers/goal.js';

const { values } = parseArgs({
  options: {
    prompts: { type: 'string', default: '6000' },
    batch: { type: 'string', default: '500' },
    'stream-events': { type: 'string', default: '0' },
  },
});
const STREAM_EVENTS = z.coerce.number().int().nonnegative().parse(values['stream-events']);
const PROMPTS = z.coerce.number().int().positive().parse(values.prompts);
const BATCH = z.coerce.number().int().positive().parse(values.batch);

type SetupName = 'inline' | 'background' | 'full' | 'memory';

interface Setup {
  name: SetupName;
  stores: Stores;
  broker: PermissionBroker;
  goalId: string;
  decide: number[];
  busy: number[];
}

function open(root: string, name: SetupName): Setup {
  const stores = openStores(name === 'memory' ? ':memory:' : join(root, `${name}.db`), {
    walCheckpoints: name === 'background' ? 'background' : 'inline',
  });
  if (name === 'full') stores.db.pragma('synchronous = FULL');
  stores.rules.add({
    id: 'bench-rule',
    scope: { kind: 'everywhere' },
    tool: 'Bash',
    pattern: 'echo *',
    decision: 'allow',
    message: null,
    createdAt: new Date().toISOString(),
  });
  const goal = testGoal({ description: 'benchmark', repoPath: root, inPlace: true });
  stores.goals.insert(goal);
  const broker = new PermissionBroker({ records: stores.permissions, rules: stores.rules, events: stores.events });
  broker.openGoal({ goalId: goal.id, repoPath: root, workspacePath: root, mode: 'ask', policy: null });
  return { name, stores, broker, goalId: goal.id, decide: [], busy: [] };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function prompt(setup: Setup, i: number): Promise<void> {
  for (let event = 0; event < STREAM_EVENTS; event++) {
    setup.stores.events.publish({ kind: 'driver_warning', goalId: setup.goalId, message: `stream line ${i}.${event}` });
  }
  const started = performance.now();
  const decision = await setup.broker.decide(setup.goalId, {
    toolName: 'Bash',
    input: { command: `echo ${i}` },
    toolUseId: `toolu_${i}`,
  });
  const decided = performance.now();
  await nextTick();
  const done = performance.now();
  if (decision.behavior !== 'allow') throw new Error(`unexpected decision ${JSON.stringify(decision)}`);
  setup.decide.push(decided - started);
  setup.busy.push(done - started);
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const over = sorted.filter((value) => value > 1).length;
  return `p50 ${at(0.5).toFixed(3)}  p99 ${at(0.99).toFixed(3)}  p99.9 ${at(0.999).toFixed(3)}  max ${at(1).toFixed(1)} ms; over 1 ms: ${over}`;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'perm-record-'));
  const setups = (['inline', 'background', 'full', 'memory'] as const).map((name) => open(root, name));
  for (let warm = 0; warm < 200; warm++) for (const setup of setups) await prompt(setup, warm);
  for (const setup of setups) {
    setup.decide.length = 0;
    setup.busy.length = 0;
  }
  for (let done = 0; done < PROMPTS; done += BATCH) {
    for (const setup of setups) {
      for (let i = 0; i < BATCH; i++) await prompt(setup, done + i);
    }
  }
  console.log(
    `permission record: ${PROMPTS} prompts per setup, in rounds of ${BATCH}, setups taking turns; ${STREAM_EVENTS} events queued before each`,
  );
  for (const setup of setups) {
    console.log(`  ${setup.name.padEnd(10)} decide: ${summary(setup.decide)}`);
    console.log(`  ${''.padEnd(10)} busy:   ${summary(setup.busy)}`);
  }
  for (const setup of setups) setup.stores.close();
  rmSync(root, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
