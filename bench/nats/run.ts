// Benchmark of distribution over NATS, against a real nats-server on a free loopback port:
//  1. events/s from a runner's event log through its outbox (JetStream, one acknowledged publish
//     at a time) to a console's consumer, beside a bare core-NATS publish/subscribe loop of the
//     same messages in the same run;
//  2. a permission prompt's round trip when the console answers over NATS (prompt → runner's
//     event log → stream → console → permission.decide request → runner → the waiting tool call),
//     beside the same prompt answered by a console on the runner's own host (local Unix socket
//     and dispatcher, no NATS);
//  3. 50 simulated runners with 4 goals each publishing at Claude's event rate for a while (in a
//     child process), with the console process's CPU and the lag of its timeline (receive time −
//     the event's time).
//
//   node --import tsx bench/nats/run.ts [--events 5000] [--prompts 200] [--runners 50] [--seconds 20]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { createHost } from '../../src/main/host/host.js';
import { startRunner } from '../../src/main/nats/runner.js';
import { connectRunnerClient } from '../../src/main/nats/client.js';
import { EVENT_STREAM } from '../../src/main/nats/subjects.js';
import { RunnerEventSchema } from '../../src/main/nats/wire.js';
import { PermissionSocketClient } from '../../src/main/permission/bridge-client.js';
import { inPlaceWorkspace, testGoal } from '../../tests/helpers/goal.js';
import { startNatsServer } from '../../tests/helpers/nats-server.js';
import type { HostEvent } from '../../src/shared/contract.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    prompts: { type: 'string', default: '200' },
    runners: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    simulate: { type: 'string' },
  },
});
const EVENTS = z.coerce.number().int().positive().parse(values.events);
const PROMPTS = z.coerce.number().int().positive().parse(values.prompts);
const RUNNERS = z.coerce.number().int().positive().parse(values.runners);
const SECONDS = z.coerce.number().positive().parse(values.seconds);
/** Claude's event rate per goal: a few transcript lines, tool calls and progress a second at most. */
const EVENTS_PER_GOAL_PER_SECOND = 5;
const GOALS_PER_RUNNER = 4;

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function until(probe: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function bareLoop(nc: NatsConnection, body: string, count: number): Promise<number> {
  let received = 0;
  const sub = nc.subscribe('bench.bare', { callback: () => void (received += 1) });
  await nc.flush();
  const started = performance.now();
  for (let i = 0; i < count; i += 1) nc.publish('bench.bare', body);
  await nc.flush();
  await until(() => received >= count, 'the bare loop');
  const seconds = (performance.now() - started) / 1000;
  sub.unsubscribe();
  return count / seconds;
}

/** The 50-runner simulation: a child process publishes; this process is the console. Resolves with how many it published. */
function simulationChild(url: string): Promise<number> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '--simulate', url, '--runners', String(RUNNERS), '--seconds', String(SECONDS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: join(dirname(script), '..', '..'),
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const published = /published (\d+)/.exec(output)?.[1];
      if (code !== 0 || published === undefined)
        reject(new Error(`the simulation child exited with ${code}: ${output}`));
      else resolve(Number(published));
    }),
  );
}

async function simulate(url: string): Promise<void> {
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  const goals = Array.from({ length: RUNNERS }, (_, r) =>
    Array.from({ length: GOALS_PER_RUNNER }, () => ({ runner: `sim-${r}`, goalId: randomUUID(), seq: 0 })),
  ).flat();
  const perTick = (goals.length * EVENTS_PER_GOAL_PER_SECOND) / 10;
  const ends = Date.now() + SECONDS * 1000;
  let next = 0;
  while (Date.now() < ends) {
    const tick = Date.now();
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < perTick; i += 1) {
      const goal = goals[next++ % goals.length]!;
      goal.seq += 1;
      const body = {
        runner: goal.runner,
        logSeq: goal.seq,
        at: new Date().toISOString(),
        event: { kind: 'driver_warning', goalId: goal.goalId, message: 'x'.repeat(200) },
      };
      batch.push(js.publish(`overseer.event.${goal.runner}.driver_warning`, JSON.stringify(body)));
    }
    await Promise.all(batch);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
  }
  await nc.close();
  console.log(`published ${goals.reduce((sum, goal) => sum + goal.seq, 0)}`);
}

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const root = mkdtempSync(join(tmpdir(), 'overseer-nats-bench-'));
  const host = await createHost({
    mode: 'cli',
    dataDir: join(root, 'runner'),
    heartbeatMs: 0,
    reattach: false,
    claudeBinary: '/nonexistent/claude',
  });
  const runnerNc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  const runner = await startRunner({ nc: runnerNc, host, name: 'bench', claudeBinary: null, heartbeatMs: 1000 });
  const consoleNc = await connect({ servers: nats.url });

  // 1. Events/s: log EVENTS events, count them at a console's consumer.
  const goalId = randomUUID();
  const message = 'x'.repeat(200);
  let seen = 0;
  const consumer = await jetstream(consoleNc).consumers.get(EVENT_STREAM, { deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume();
  void (async () => {
    for await (const msg of messages) {
      if (RunnerEventSchema.safeParse(msg.json()).success) seen += 1;
    }
  })();
  const started = performance.now();
  for (let i = 0; i < EVENTS; i += 1) host.stores.events.append({ kind: 'driver_warning', goalId, message });
  await until(() => seen >= EVENTS, 'the events through NATS');
  const throughNats = EVENTS / ((performance.now() - started) / 1000);
  await messages.close();
  const sample = JSON.stringify({
    runner: 'bench',
    logSeq: 1,
    at: new Date().toISOString(),
    event: { kind: 'driver_warning', goalId, message },
  });
  const bare = await bareLoop(consoleNc, sample, EVENTS);

  // 2. Permission round trip: a tool call waits for an operator, who answers over NATS or locally.
  const goal = testGoal({ description: 'bench', repoPath: root, inPlace: true, permissionMode: 'ask' });
  host.stores.goals.insert(goal);
  const handle = host.permissions.openGoal(goal, inPlaceWorkspace(goal));
  const env = handle.mcpServer.env;
  const socket = new PermissionSocketClient({
    socketPath: env['OVERSEER_PERMISSION_SOCKET'] ?? '',
    goalId: env['OVERSEER_GOAL_ID'] ?? '',
    secret: env['OVERSEER_GOAL_SECRET'] ?? '',
  });
  const remote = await connectRunnerClient(
    { url: nats.url, user: null, password: null, token: null, credsFile: null, nkeyFile: null, tls: null },
    'bench',
    { nc: consoleNc },
  );
  const answerOver = (
    subscribe: (listener: (event: HostEvent) => void) => () => void,
    decide: (requestId: string) => Promise<unknown>,
  ) =>
    subscribe((event) => {
      // A prompt of the earlier phase may still arrive here: its answer is refused (conflict), harmlessly.
      if (event.channel === 'goal.event' && event.payload.event.kind === 'permission_requested')
        decide(event.payload.event.request.id).catch(() => undefined);
    });
  async function roundTrips(): Promise<number[]> {
    const samples: number[] = [];
    for (let i = 0; i < PROMPTS; i += 1) {
      const t0 = performance.now();
      const decision = await socket.decide({
        toolName: 'Bash',
        input: { command: `echo ${i}` },
        toolUseId: `toolu_${randomUUID()}`,
      });
      if (decision.behavior !== 'allow') throw new Error(`unexpected decision ${JSON.stringify(decision)}`);
      samples.push(performance.now() - t0);
    }
    return samples;
  }
  let stop = answerOver(
    (listener) => host.events.subscribe(listener),
    (requestId) =>
      host.dispatcher.invoke('permission.decide', { requestId, action: { kind: 'allow' } }, { transport: 'local' }),
  );
  const local = await roundTrips();
  stop();
  stop = answerOver(
    (listener) => remote.subscribe(listener),
    (requestId) => remote.invoke('permission.decide', { requestId, action: { kind: 'allow' } }),
  );
  const overNats = await roundTrips();
  stop();
  socket.close();
  handle.close('benchmark done');
  await remote.close();

  // 3. 50 runners × 4 goals at Claude's rate: the console's CPU and its timeline's lag.
  const lags: number[] = [];
  let simulated = 0;
  const simConsumer = await jetstream(consoleNc).consumers.get(EVENT_STREAM, { deliver_policy: DeliverPolicy.New });
  const simMessages = await simConsumer.consume();
  void (async () => {
    for await (const msg of simMessages) {
      const parsed = RunnerEventSchema.safeParse(msg.json());
      if (!parsed.success || !parsed.data.runner.startsWith('sim-')) continue;
      simulated += 1;
      lags.push(Date.now() - Date.parse(parsed.data.at));
    }
  })();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const published = await simulationChild(nats.url);
  await until(() => simulated >= published, 'the simulated events', 120_000);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = (performance.now() - wallBefore) / 1000;
  await simMessages.close();
  const cpuPct = ((cpu.user + cpu.system) / 1e6 / wall) * 100;

  await runner.close(1000);
  await host.close();
  await runnerNc.close();
  await consoleNc.close();
  await nats.close();
  rmSync(root, { recursive: true, force: true });

  const ms = (n: number) => `${n.toFixed(2)} ms`;
  console.log(
    `NATS benchmark: nats-server 2.9 on loopback, node ${process.version}, ${process.platform}/${process.arch}`,
  );
  console.log(`1. events/s (${EVENTS} events of ~${sample.length} bytes)`);
  console.log(`   runner log → outbox → JetStream → console consumer: ${throughNats.toFixed(0)} events/s`);
  console.log(
    `   bare core-NATS publish/subscribe loop (baseline):  ${bare.toFixed(0)} events/s  (${(bare / throughNats).toFixed(1)}x)`,
  );
  const needed = RUNNERS * GOALS_PER_RUNNER * EVENTS_PER_GOAL_PER_SECOND;
  console.log(
    `   goal: ≥ ${needed} events/s (${RUNNERS} runners × ${GOALS_PER_RUNNER} goals × ${EVENTS_PER_GOAL_PER_SECOND}/s) through one runner's outbox: ${throughNats >= needed ? 'met' : 'not met'}`,
  );
  console.log(`2. permission round trip (${PROMPTS} prompts, tool call → operator allow → tool call)`);
  console.log(
    `   console on the runner's host (Unix socket, no NATS, baseline): p50 ${ms(percentile(local, 0.5))}  p99 ${ms(percentile(local, 0.99))}`,
  );
  console.log(
    `   console over NATS:                                           p50 ${ms(percentile(overNats, 0.5))}  p99 ${ms(percentile(overNats, 0.99))}`,
  );
  console.log(
    `   goal: p99 over NATS ≤ 100 ms (a person answers in seconds): ${percentile(overNats, 0.99) <= 100 ? 'met' : 'not met'}`,
  );
  const offered = RUNNERS * GOALS_PER_RUNNER * EVENTS_PER_GOAL_PER_SECOND * SECONDS;
  console.log(
    `3. ${RUNNERS} simulated runners × ${GOALS_PER_RUNNER} goals at ${EVENTS_PER_GOAL_PER_SECOND} events/s each for ${SECONDS} s: ${published} of ${offered} events published (the publishers' own pace on this machine), ${simulated} received`,
  );
  console.log(
    `   console CPU: ${cpuPct.toFixed(1)}% of one core; timeline lag p50 ${ms(percentile(lags, 0.5))}  p99 ${ms(percentile(lags, 0.99))}  max ${ms(Math.max(...lags))}`,
  );
  console.log(
    `   goal: lag p99 ≤ 1000 ms and console CPU ≤ 25%: ${percentile(lags, 0.99) <= 1000 && cpuPct <= 25 ? 'met' : 'not met'}`,
  );
  console.log(
    JSON.stringify({
      eventsPerSecond: { nats: throughNats, bare },
      permissionMs: {
        local: { p50: percentile(local, 0.5), p99: percentile(local, 0.99) },
        nats: { p50: percentile(overNats, 0.5), p99: percentile(overNats, 0.99) },
      },
      simulation: { events: simulated, cpuPct, lagP50: percentile(lags, 0.5), lagP99: percentile(lags, 0.99) },
    }),
  );
}

if (values.simulate !== undefined) {
  simulate(values.simulate).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
