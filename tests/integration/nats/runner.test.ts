// Distribution over NATS end to end, with a real nats-server on a free loopback port and runner
// processes (the built `overseer agent`) driving goals with the real Claude Code CLI against the
// fake model: presence and `overseer runners`, `overseer run --runner` followed like a local run
// with its permission prompt answered by another NATS client (first answer wins), `diff --runner`,
// a late JetStream consumer reading every event once and in order on the driver's subjects, a
// runner killed with SIGKILL mid-turn shown offline and its goal resumed when it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { startFakeModel, type FakeModel, type FakeScript } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { builtCli } from '../../helpers/serve.js';
import { spawnCli as spawnWithEnv, until, type Finished, type Spawned } from './support.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';
import { claudeCwd, fixtureRepo } from '../host/support.js';
import { connectRunnerClient, type RunnerClient } from '../../../src/main/nats/client.js';
import { EVENT_STREAM, HEADER_RUNNER } from '../../../src/main/nats/subjects.js';
import { RunnerEventSchema, type RunnerEvent } from '../../../src/main/nats/wire.js';
import { CommandFailure } from '../../../src/main/cli/host-client/client.js';
import type { NatsSettings } from '../../../src/main/nats/connection.js';

let root: string;
let env: NodeJS.ProcessEnv;
let model: FakeModel;
let nats: NatsServer;
/** Requests that found a SLOW goal: the first one sleeps in Bash (so its runner can be killed mid-turn). */
let slowCalls = 0;

const script: FakeScript = (ctx) => {
  if (ctx.lastToolResults.length > 0) return { text: 'Done.' };
  if (ctx.allUserText.includes('SLOW') && slowCalls++ === 0) {
    return {
      text: 'Thinking hard.',
      toolUses: [{ name: 'Bash', input: { command: 'sleep 600', description: 'wait' } }],
    };
  }
  return {
    text: 'Writing.',
    toolUses: [{ name: 'Write', input: { file_path: `${claudeCwd(ctx)}/hello.txt`, content: 'hello\n' } }],
  };
};

/** The built CLI with the test's environment (its Claude, no NATS URL of its own) and `extraEnv`. */
function spawnCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Spawned {
  return spawnWithEnv(args, { ...env, ...extraEnv });
}

const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Finished> => spawnCli(args, extraEnv).done;

/** Starts `overseer agent` and waits until it says it is online. */
async function startAgent(name: string, dataDir: string, extra: string[] = []): Promise<Spawned> {
  const agent = spawnCli([
    'agent',
    '--nats',
    nats.url,
    '--name',
    name,
    '--data-dir',
    dataDir,
    '--heartbeat-ms',
    '300',
    ...extra,
  ]);
  await Promise.race([
    until(() => agent.output().includes(`Runner ${name} is online`), `runner ${name} online`, 120_000),
    agent.done.then((finished) => {
      throw new Error(`overseer agent exited with ${finished.code}:\n${finished.stdout}${finished.stderr}`);
    }),
  ]);
  return agent;
}

async function runnersJson(): Promise<
  {
    name: string;
    online: boolean;
    state: string;
    lastSeen: string;
    freeSlots: number;
    maxSlots: number;
    claudeBinary: string | null;
    runningGoalIds: string[];
  }[]
> {
  const listed = await cli(['runners', '--json', '--nats', nats.url]);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as never;
}

const settings = (): NatsSettings => ({
  url: nats.url,
  user: null,
  password: null,
  token: null,
  credsFile: null,
  nkeyFile: null,
  tls: null,
});

/** Every event the stream holds for `runner`, read by a consumer that connects now (late). */
async function streamEvents(nc: NatsConnection, runner: string): Promise<{ subject: string; event: RunnerEvent }[]> {
  // JetStream API requests wait 5 s by default: on a busy two-core machine the consumer's creation once took longer.
  const js = jetstream(nc, { timeout: 60_000 });
  const consumer = await js.consumers.get(EVENT_STREAM, { deliver_policy: DeliverPolicy.All });
  const info = await consumer.info();
  const total = info.num_pending;
  const found: { subject: string; event: RunnerEvent }[] = [];
  for (let read = 0; read < total; read += 1) {
    const message = await consumer.next({ expires: 10_000 });
    if (message === null) break;
    if (message.headers?.get(HEADER_RUNNER) !== runner) continue;
    found.push({ subject: message.subject, event: RunnerEventSchema.parse(message.json()) });
  }
  return found;
}

beforeAll(async () => {
  if (!existsSync(builtCli)) throw new Error(`build the CLI first (npx electron-vite build): ${builtCli} is missing`);
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-runner-'));
  model = await startFakeModel(script);
  env = {
    ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }),
    OVERSEER_CLAUDE_BIN: claudeBin,
  };
  delete env['OVERSEER_NATS_URL'];
  nats = await startNatsServer();
}, 120_000);
afterAll(async () => {
  await nats?.close();
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a runner over NATS', () => {
  let agent: Spawned;
  let dataDir: string;
  let nc: NatsConnection;
  let watcher: RunnerClient;
  let goalId: string;

  beforeAll(async () => {
    dataDir = join(root, 'runner-alpha');
    agent = await startAgent('alpha', dataDir);
    nc = await connect({ servers: nats.url });
  }, 180_000);
  afterAll(async () => {
    await watcher?.close();
    await nc?.close();
    if (agent.child.exitCode === null && agent.child.signalCode === null) {
      agent.child.kill('SIGTERM');
      await agent.done;
    }
  }, 120_000);

  it(
    'announces itself: `overseer runners` lists it online with its slots and Claude binary',
    { timeout: 300_000 },
    async () => {
      const runners = await runnersJson();
      expect(runners).toHaveLength(1);
      expect(runners[0]).toMatchObject({
        name: 'alpha',
        online: true,
        state: 'online',
        claudeBinary: claudeBin,
        runningGoalIds: [],
      });
      expect(runners[0]!.freeSlots).toBe(runners[0]!.maxSlots);
      const text = await cli(['runners', '--nats', nats.url]);
      expect(text.stdout).toMatch(/alpha\s+online/);
    },
  );

  it(
    'drives `overseer run --runner` like a local run across a nats-server restart mid-goal; a prompt is answered by another NATS client, first answer wins',
    { timeout: 600_000 },
    async () => {
      const repo = fixtureRepo(root);
      // Two "consoles" watch the runner; both answer every prompt: one wins, the other is told.
      watcher = await connectRunnerClient(settings(), 'alpha');
      const second = await connectRunnerClient(settings(), 'alpha');
      const answers: { first: string; second: string }[] = [];
      watcher.subscribe((hostEvent) => {
        if (hostEvent.channel !== 'goal.event' || hostEvent.payload.event.kind !== 'permission_requested') return;
        const requestId = hostEvent.payload.event.request.id;
        const answer = (client: RunnerClient) =>
          client.invoke('permission.decide', { requestId, action: { kind: 'allow' } }).then(
            () => 'won',
            (error: unknown) => (error instanceof CommandFailure ? error.error.code : String(error)),
          );
        // The goal waits on its prompt: the NATS server restarts before anyone answers, and the
        // answers go once the runner has renewed its presence on the restarted server.
        void nats
          .restart()
          .then(() => {
            const restartedAt = Date.now();
            return until(
              async () =>
                (await runnersJson()).find(
                  (runner) => runner.name === 'alpha' && runner.online && Date.parse(runner.lastSeen) > restartedAt,
                ),
              'alpha back after the restart',
            );
          })
          .then(() => Promise.all([answer(watcher), answer(second)]))
          .then(([first, other]) => answers.push({ first, second: other }));
      });

      const run = await cli([
        'run',
        '--runner',
        'alpha',
        '--nats',
        nats.url,
        '--repo',
        repo,
        '--goal',
        'create hello.txt',
        '--accept',
        'test -f hello.txt',
        '--max-turns',
        '3',
      ]);
      await second.close();
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Running on runner alpha');
      expect(run.stdout).toContain("waits for your answer in the console's inbox");
      expect(run.stdout).toContain('· turn 1 started');
      goalId = /▶ goal ([0-9a-f]{8})/.exec(run.stdout)?.[1] ?? '';
      expect(goalId).not.toBe('');
      expect(run.stdout).toContain(`overseer land ${goalId}`);
      expect(answers).toHaveLength(1);
      expect([answers[0]!.first, answers[0]!.second].sort()).toEqual(['conflict', 'won']);

      const diff = await cli(['diff', goalId, '--runner', 'alpha', '--nats', nats.url]);
      expect(diff.code, diff.stderr).toBe(0);
      expect(diff.stdout).toContain('+++ b/hello.txt');
      const goals = await cli(['goals', '--json', '--runner', 'alpha', '--nats', nats.url]);
      expect(
        (JSON.parse(goals.stdout) as { id: string; status: string }[]).map((goal) => [
          goal.id.slice(0, 8),
          goal.status,
        ]),
      ).toEqual([[goalId, 'done']]);
      const land = await cli(['land', goalId, '--json', '--runner', 'alpha', '--nats', nats.url]);
      expect(land.code, land.stderr).toBe(0);
      expect(JSON.parse(land.stdout)).toMatchObject({
        kind: 'worktree',
        branch: expect.stringContaining(goalId),
        uncommittedFiles: 1,
      });
    },
  );

  it(
    'keeps every event in the stream: a late consumer reads each once, in order, on the driver subjects',
    { timeout: 300_000 },
    async () => {
      const events = await streamEvents(nc, 'alpha');
      const seqs = events.map((entry) => entry.event.logSeq);
      expect(seqs.length).toBeGreaterThan(5);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      const subjects = new Set(events.map((entry) => entry.subject));
      for (const subject of [
        'agent.driver.goal.started',
        'agent.driver.attempt.started',
        'agent.driver.attempt.completed',
        'agent.driver.acceptance',
        'agent.driver.goal.completed',
      ]) {
        expect(subjects).toContain(subject);
      }
      expect(subjects).toContain('overseer.event.alpha.permission_requested');
      const completed = events.find((entry) => entry.subject === 'agent.driver.goal.completed')?.event.event;
      expect(completed?.kind === 'goal_completed' && completed.outcome.outcome.kind).toBe('done');
    },
  );

  it('refuses commands it does not offer over NATS and names unknown goals', { timeout: 300_000 }, async () => {
    await expect(watcher.invoke('app.info', {})).rejects.toMatchObject({ error: { code: 'unauthorized' } });
    const cancel = await cli(['cancel', 'ffffffff', '--runner', 'alpha', '--nats', nats.url]);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain('no goal whose id starts with "ffffffff"');
    const nobody = await cli(['cancel', goalId, '--runner', 'nobody', '--nats', nats.url]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no runner named "nobody"');
  });

  it(
    'a runner killed with SIGKILL mid-turn shows offline, the follower says so, and the goal resumes when it is back',
    { timeout: 900_000 },
    async () => {
      const repo = fixtureRepo(root);
      const run = spawnCli([
        'run',
        '--runner',
        'alpha',
        '--nats',
        nats.url,
        '--repo',
        repo,
        '--goal',
        'SLOW: create hello.txt',
        '--accept',
        'test -f hello.txt',
        '--permissions',
        'allow',
        '--max-turns',
        '4',
      ]);
      // Mid-turn: Claude's Bash call (sleep) is running.
      await until(() => slowCalls > 0 && run.output().includes('Bash'), 'the slow turn to run its Bash call', 300_000);
      const slowId = /▶ goal ([0-9a-f]{8})/.exec(run.output())?.[1] ?? '';
      expect(slowId).not.toBe('');
      agent.child.kill('SIGKILL');
      await agent.done;
      await until(
        async () =>
          (await runnersJson()).find(
            (runner) => runner.name === 'alpha' && !runner.online && runner.state === 'online',
          ),
        'alpha shown offline',
      );
      const followed = await run.done;
      expect(followed.code).toBe(1);
      expect(followed.stderr).toContain('runner alpha went offline');

      agent = await startAgent('alpha', dataDir);
      const listed = await cli(['show', slowId, '--json', '--data-dir', dataDir]);
      expect((JSON.parse(listed.stdout) as { status: string }).status).toBe('interrupted');
      const resumed = await cli(['resume', slowId, '--runner', 'alpha', '--nats', nats.url]);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/■ done/);
    },
  );
});
