// The console's remote goals, with a real nats-server, a runner host driving goals with the real
// Claude Code CLI against the fake model, and a console host with the forwarding layer installed:
// the runner's goals listed beside local ones and marked with its name, a goal started there from
// the console (path checked there), its prompt in the console's pending list and answered from
// it, its timeline live on the console's hub (every event once, in order, equal to the forwarded
// goal.events), pause, cancel and interrupt (stopping the turn) reaching the runner, a nats-server
// restart mid-goal leaving the console's live timeline whole (every event once, in order, equal to
// the runner's own store), and a runner gone answered with a clear error (its goals still listed
// as it last listed them, each list as that list was answered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { LoggedEvent } from '../../../src/shared/domain/views.js';
import { startRunner, type Runner } from '../../../src/main/nats/runner.js';
import { listRunners, openPresence } from '../../../src/main/nats/presence.js';
import type { RemoteGoals } from '../../../src/main/nats/remote-goals.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';
import { claudeBin } from '../../fake-model/claude-env.js';
import type { FakeScript } from '../../fake-model/server.js';
import { claudeCwd, fixtureRepo, hostWithFakeModel, type HostWithModel } from '../host/support.js';
import { startConsoleWithRemoteGoals, until, type ConsoleWithRemoteGoals } from './support.js';

let nats: NatsServer;
let root: string;
let runnerSide: HostWithModel;
let runner: Runner;
let runnerNc: NatsConnection;
let consoleSide: ConsoleWithRemoteGoals;
let consoleNc: NatsConnection;
let consoleHost: Host;
let remote: RemoteGoals;
let hubEvents: LoggedEvent[] = [];

/** The command of the interrupted goal's tool: a sleep no other process on the machine runs. */
const interruptMarker = `sleep 600.${process.pid}${Date.now() % 1000}`;

/** Whether this test's own marked sleep is running (found by its unique command line). */
function markerSleeping(): boolean {
  try {
    execFileSync('pgrep', ['-f', `^${interruptMarker}$`]);
    return true;
  } catch {
    return false;
  }
}

const script: FakeScript = (ctx) => {
  // The turn that opens with the note waits in a tool too, so the goal is still running when the test
  // cancels it: a goal whose turns answer at once can use up its turns first (a long-lived Claude process
  // answers a turn in about 100 ms).
  if (ctx.allUserText.includes('[OPERATOR INTERRUPT]'))
    return {
      text: 'Understood, stopping.',
      toolUses: [{ name: 'Bash', input: { command: 'sleep 600', description: 'wait' } }],
    };
  if (ctx.lastToolResults.length > 0) return { text: 'Done.' };
  if (ctx.allUserText.includes('INTERRUPT-ME'))
    return { text: 'Waiting.', toolUses: [{ name: 'Bash', input: { command: interruptMarker, description: 'wait' } }] };
  if (ctx.allUserText.includes('SLOW'))
    return { text: 'Waiting.', toolUses: [{ name: 'Bash', input: { command: 'sleep 600', description: 'wait' } }] };
  return {
    text: 'Writing.',
    toolUses: [{ name: 'Write', input: { file_path: `${claudeCwd(ctx)}/hello.txt`, content: 'hello\n' } }],
  };
};

/** A command on the console, as the browser sends it; throws the CommandError when it fails. */
async function onConsole<C extends CommandChannel>(
  channel: C,
  payload: CommandRequest<C>,
): Promise<CommandResponse<C>> {
  const result = await consoleHost.dispatcher.invoke(channel, payload, { transport: 'browser' });
  if (!result.ok) throw Object.assign(new Error(result.error.message), { error: result.error });
  return result.value as CommandResponse<C>;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-remote-'));
  nats = await startNatsServer();
  runnerSide = await hostWithFakeModel('overseer-nats-remote-runner-', script);
  runnerNc = await connect({ servers: nats.url });
  runner = await startRunner({
    nc: runnerNc,
    host: runnerSide.host,
    name: 'box',
    claudeBinary: claudeBin,
    heartbeatMs: 300,
  });
  consoleSide = await startConsoleWithRemoteGoals({
    natsUrl: nats.url,
    dataDir: join(root, 'console'),
    claudeBinary: claudeBin,
  });
  ({ host: consoleHost, nc: consoleNc, remote, hubEvents } = consoleSide);
}, 180_000);

afterAll(async () => {
  await consoleSide?.close();
  await runner?.close();
  await runnerNc?.close();
  await runnerSide?.close();
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('remote goals in the console', () => {
  let goalId: string;

  it(
    'starts a goal on the runner, lists it marked with the runner, and answers its prompt from the console',
    { timeout: 600_000 },
    async () => {
      const repo = fixtureRepo(root);
      const checked = await onConsole('runner.repo.validate', { runner: 'box', path: repo });
      expect(checked).toMatchObject({ ok: true, branch: 'main' });
      const missing = await onConsole('runner.repo.validate', { runner: 'box', path: join(root, 'nope') });
      expect(missing.ok).toBe(false);

      const local = await onConsole('goal.create', {
        description: 'a local goal',
        repoPath: fixtureRepo(root),
        start: false,
      });
      const created = await onConsole('runner.goal.create', {
        runner: 'box',
        goal: {
          description: 'create hello.txt',
          repoPath: repo,
          acceptance: [{ kind: 'shell_command', command: 'test -f hello.txt' }],
          budget: { maxTurns: 3 },
        },
      });
      goalId = created.goalId;
      expect(runnerSide.host.stores.goals.get(goalId)).not.toBeNull();
      expect(consoleHost.stores.goals.get(goalId)).toBeNull();

      const { goals } = await onConsole('goals.list', {});
      expect(goals.find((goal) => goal.id === goalId)).toMatchObject({
        runner: 'box',
        description: 'create hello.txt',
      });
      const own = goals.find((goal) => goal.id === local.goalId);
      expect(own).toBeDefined();
      expect(own?.runner).toBeUndefined();

      const pending = await until(async () => {
        const { records } = await onConsole('permissions.pending', {});
        return records.find((record) => record.request.goalId === goalId);
      }, 'the remote prompt in the console inbox');
      expect(pending.request.toolName).toBe('Write');
      await onConsole('permission.decide', { requestId: pending.request.id, action: { kind: 'allow' } });
      // First answer wins: a second answer is told so.
      await expect(
        onConsole('permission.decide', { requestId: pending.request.id, action: { kind: 'allow' } }),
      ).rejects.toMatchObject({ error: { code: 'conflict' } });
      // The runner records which console decided.
      expect(runnerSide.host.stores.permissions.get(pending.request.id)?.decidedBy).toEqual({
        kind: 'operator',
        name: 'laptop',
      });

      const detail = await until(async () => {
        const got = await onConsole('goal.get', { goalId });
        return got.summary.status === 'done' ? got : null;
      }, 'the remote goal done');
      expect(detail.turns.length).toBeGreaterThan(0);
      const diff = await onConsole('goal.cumulativeDiff', { goalId });
      expect(diff.files.map((file) => file.path)).toContain('hello.txt');
    },
  );

  it(
    'carries the remote timeline live: every event once, in order, as goal.events answers it',
    { timeout: 300_000 },
    async () => {
      await runner.outbox.drained();
      const page = await onConsole('goal.events', { goalId, limit: 5000 });
      await until(
        () => hubEvents.filter((logged) => logged.event.goalId === goalId).length >= page.events.length,
        'the live events to catch up',
      );
      const live = hubEvents.filter((logged) => logged.event.goalId === goalId);
      expect(live.map((logged) => logged.logSeq)).toEqual(page.events.map((logged) => logged.logSeq));
      // Every console following the runner's events sees which console decided.
      const decided = live.find((logged) => logged.event.kind === 'permission_decided')?.event;
      expect(decided?.kind === 'permission_decided' ? decided.decidedBy : null).toEqual({
        kind: 'operator',
        name: 'laptop',
      });
      expect(live.at(-1)?.event.kind).toBe('goal_completed');
      expect(remote.runnerOf(goalId)).toBe('box');
    },
  );

  it('pauses and cancels a remote goal from the console', { timeout: 600_000 }, async () => {
    const { goalId: slow } = await onConsole('runner.goal.create', {
      runner: 'box',
      goal: {
        description: 'SLOW: wait',
        repoPath: fixtureRepo(root),
        permissionMode: 'allow-all',
        budget: { maxTurns: 3 },
      },
    });
    await until(() => runnerSide.host.stores.goals.get(slow)?.status === 'running', 'the slow goal running');
    await onConsole('goal.pause', { goalId: slow });
    await until(
      () => runnerSide.host.stores.goals.get(slow)?.status === 'paused',
      'the slow goal paused on the runner',
    );
    await onConsole('goal.cancel', { goalId: slow });
    await until(
      () => runnerSide.host.stores.goals.get(slow)?.status === 'cancelled',
      'the slow goal cancelled on the runner',
    );
    const { goals } = await onConsole('goals.list', {});
    expect(goals.find((goal) => goal.id === slow)).toMatchObject({ runner: 'box', status: 'cancelled' });
  });

  it(
    'interrupts a remote goal from the console: the running turn stops and the next opens with the note',
    { timeout: 600_000 },
    async () => {
      const { goalId: busy } = await onConsole('runner.goal.create', {
        runner: 'box',
        goal: {
          description: 'INTERRUPT-ME: wait',
          repoPath: fixtureRepo(root),
          permissionMode: 'allow-all',
          budget: { maxTurns: 3 },
        },
      });
      await until(() => markerSleeping(), "the remote goal's tool running on the runner");
      const asked = runnerSide.fake.requests.length;

      const queued = await onConsole('goal.interrupt', { goalId: busy, message: 'stop and report', stopTurn: true });
      expect(queued).toEqual({ queueDepth: 1 });

      // As locally: the turn is stopped (its tool with it), and the next turn opens with the note.
      const next = await until(
        () =>
          runnerSide.fake.requests.slice(asked).find((request) => request.allUserText.includes('[OPERATOR INTERRUPT]')),
        'the next turn to reach the model with the note',
      );
      expect(next.allUserText).toContain('stop and report');
      await until(() => !markerSleeping(), "the stopped turn's tool to end");
      const live = await until(() => {
        const events = hubEvents.filter((logged) => logged.event.goalId === busy).map((logged) => logged.event);
        return events.some((event) => event.kind === 'attempt_started' && event.turnIndex === 1) ? events : null;
      }, "the console's live timeline to show the next turn");
      expect(live.find((event) => event.kind === 'interrupt_queued')).toMatchObject({
        message: 'stop and report',
        stopTurn: true,
        queueDepth: 1,
      });
      const stopped = live.find((event) => event.kind === 'attempt_completed' && event.result.turnIndex === 0);
      expect(stopped?.kind === 'attempt_completed' ? stopped.result.outcome : null).toMatchObject({
        kind: 'continue',
        cause: 'stopped_by_operator',
      });
      await onConsole('goal.cancel', { goalId: busy });
      await until(() => runnerSide.host.stores.goals.get(busy)?.status === 'cancelled', 'the goal cancelled');
    },
  );

  it(
    "keeps the console's live timeline whole across a nats-server restart mid-goal: every event once, in order",
    { timeout: 600_000 },
    async () => {
      const { goalId: across } = await onConsole('runner.goal.create', {
        runner: 'box',
        goal: {
          description: 'create hello.txt across a restart',
          repoPath: fixtureRepo(root),
          acceptance: [{ kind: 'shell_command', command: 'test -f hello.txt' }],
          budget: { maxTurns: 3 },
        },
      });
      // The goal waits on its prompt while the NATS server restarts under it.
      const prompt = await until(async () => {
        const { records } = await onConsole('permissions.pending', {});
        return records.find((record) => record.request.goalId === across);
      }, 'the prompt in the console inbox');
      await until(
        () =>
          hubEvents.some((logged) => logged.event.kind === 'permission_requested' && logged.event.goalId === across),
        'the prompt on the live timeline',
      );

      await nats.restart();
      const restartedAt = Date.now();
      await until(async () => {
        const kv = await openPresence(consoleNc).catch(() => null);
        const runners = kv === null ? [] : await listRunners(kv).catch(() => []);
        return runners.find((status) => status.online && Date.parse(status.lastSeen) > restartedAt);
      }, 'the runner back on the restarted server');

      await onConsole('permission.decide', { requestId: prompt.request.id, action: { kind: 'allow' } });
      await until(() => runnerSide.host.stores.goals.get(across)?.status === 'done', 'the goal done on the runner');
      await runner.outbox.drained();

      const stored = runnerSide.host.stores.events
        .eventsForGoal(across, { limit: 5000, afterSeq: 0 })
        .map((event) => event.seq);
      await until(
        () => hubEvents.filter((logged) => logged.event.goalId === across).length >= stored.length,
        "the console's live timeline to catch up",
      );
      const live = hubEvents.filter((logged) => logged.event.goalId === across).map((logged) => logged.logSeq);
      expect(live).toEqual(stored);
      expect(new Set(live).size).toBe(live.length);
      expect(hubEvents.filter((logged) => logged.event.goalId === across).at(-1)?.event.kind).toBe('goal_completed');
    },
  );

  it('says a runner that stopped answering is offline, at once', { timeout: 120_000 }, async () => {
    // The lists the console asks, the whole one first and the interrupted goals last (as its
    // sidebar and its banner do), answered by the runner before it goes.
    expect((await onConsole('goals.list', {})).goals.some((goal) => goal.id === goalId)).toBe(true);
    expect((await onConsole('goals.list', { statuses: ['interrupted'] })).goals).toEqual([]);
    runner.stopCommands();
    await runnerNc.flush();
    await expect(onConsole('goal.get', { goalId })).rejects.toMatchObject({
      error: { code: 'unavailable', message: 'runner box is offline (nothing answers its commands on NATS)' },
    });
    // Its goals stay listed as it last listed them, still marked with its name: each list as that
    // list was answered, not as the last list asked was.
    const { goals } = await onConsole('goals.list', {});
    expect(goals.find((goal) => goal.id === goalId)).toMatchObject({ runner: 'box', status: 'done' });
    expect((await onConsole('goals.list', { statuses: ['interrupted'] })).goals).toEqual([]);
    await expect(onConsole('runner.repo.validate', { runner: 'box', path: '/tmp' })).rejects.toMatchObject({
      error: { code: 'unavailable', message: expect.stringContaining('runner box is offline') },
    });
  });
});
