// Hostile traffic on the subjects a runner and a console listen on, with a real nats-server, a
// real runner host and a real console host with its forwarding layer (no goal runs, so no Claude):
// - the runner's command subjects get seeded random requests: garbage bytes, wrong JSON shapes,
//   `__proto__`/`constructor` keys, huge bodies, unknown channels, messages without a reply
//   subject. Every request with a reply subject is answered with a well-formed error (or a
//   result, for the few that happen to be valid), and the runner keeps serving.
// - a hostile "runner" answers the console's forwarded commands with garbage, wrong envelopes,
//   wrong values, huge or polluting bodies, second replies and replies to requests nobody made;
//   and hostile messages land on the event stream the console follows. The console answers its
//   clients with a clear error, keeps its own goals listed and its live timeline clean, and lets
//   no event re-assign a goal another runner owns.
// The seed is fixed (OVERSEER_FUZZ_SEED to change it) and printed with any failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { connect, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { commands, CommandErrorSchema, type CommandChannel } from '../../../src/shared/contract.js';
import type { GoalSummary, LoggedEvent } from '../../../src/shared/domain/views.js';
import { startRunner, type Runner } from '../../../src/main/nats/runner.js';
import { listRunners, presenceBucket } from '../../../src/main/nats/presence.js';
import type { RemoteGoals } from '../../../src/main/nats/remote-goals.js';
import { commandPrefix, commandSubject, HEADER_RUNNER } from '../../../src/main/nats/subjects.js';
import { CommandReplySchema, type RunnerPresence } from '../../../src/main/nats/wire.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { fixtureRepo } from '../host/support.js';
import { startConsoleWithRemoteGoals, until, type ConsoleWithRemoteGoals } from './support.js';

const SEED = Number(process.env['OVERSEER_FUZZ_SEED'] ?? 20261130);
const RUNNER_CASES = Number(process.env['OVERSEER_FUZZ_CASES'] ?? 600);
const CONCURRENCY = 8;
/** Not an assertion of speed: a request left unanswered this long counts as silence. */
const ANSWER_MS = 60_000;

let root: string;
let nats: NatsServer;
let runnerHost: Host;
let runnerNc: NatsConnection;
let runner: Runner;
let consoleSide: ConsoleWithRemoteGoals;
let consoleHost: Host;
let remote: RemoteGoals;
let attacker: NatsConnection;
let hubEvents: LoggedEvent[] = [];
const warnings: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-fuzz-'));
  nats = await startNatsServer();
  const hostOptions = (name: string) => ({
    mode: 'browser' as const,
    dataDir: join(root, name),
    heartbeatMs: 0,
    reattach: false,
    claudeBinary: '/nonexistent/claude',
  });
  runnerHost = await createHost(hostOptions('runner'));
  runnerNc = await connect({ servers: nats.url });
  runner = await startRunner({ nc: runnerNc, host: runnerHost, name: 'box', claudeBinary: null, heartbeatMs: 300 });
  consoleSide = await startConsoleWithRemoteGoals({
    natsUrl: nats.url,
    dataDir: join(root, 'console'),
    claudeBinary: '/nonexistent/claude',
    onWarning: (message) => warnings.push(message),
  });
  ({ host: consoleHost, remote, hubEvents } = consoleSide);
  attacker = await connect({ servers: nats.url });
}, 120_000);

afterAll(async () => {
  await attacker?.close();
  await consoleSide?.close();
  await runner?.close();
  await runnerNc?.close();
  await runnerHost?.close();
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

/** Nothing reached Object.prototype (a `__proto__` key merged somewhere would put `polluted` there). */
function prototypeClean(): boolean {
  return !Object.hasOwn(Object.prototype, 'polluted') && ({} as Record<string, unknown>)['polluted'] === undefined;
}

/** Seeded hostile bodies: garbage, wrong shapes, polluting keys, deep nesting, huge. */
function bodyGenerator(seed: number) {
  const random = seededRandom(seed);
  const int = (max: number): number => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const garbage = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
  const shapes: (() => unknown)[] = [
    () => null,
    () => int(1e9) - 5e8,
    () => 'text',
    () => [1, 'two', { three: 3 }],
    () => ({}),
    () => ({ goalId: pick([randomUUID(), '', 'not-a-uuid', 7, null, ['x']]) }),
    () => ({
      requestId: pick([randomUUID(), '', 42]),
      action: pick([{ kind: 'allow' }, { kind: 'nope' }, 'allow', null]),
    }),
    () => ({ goalId: randomUUID(), limit: pick([-1, 1e12, 'all', 5000]), beforeSeq: pick([null, -3, 'x']) }),
    () => ({ description: 'x'.repeat(int(5000)), repoPath: pick(['/', '', '../../etc', '\u0000']), start: 'yes' }),
    () => JSON.parse('{"__proto__": {"polluted": true}, "goalId": "00000000-0000-4000-8000-000000000000"}') as unknown,
    () => JSON.parse('{"constructor": {"prototype": {"polluted": true}}, "requestId": "r"}') as unknown,
    () => ({ extra: true, ['k'.repeat(int(300))]: 'v' }),
  ];
  const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  return (): { kind: string; body: Uint8Array | string } => {
    const roll = random();
    if (roll < 0.15) return { kind: 'garbage bytes', body: garbage(1 + int(4096)) };
    if (roll < 0.2)
      return { kind: 'truncated JSON', body: JSON.stringify({ goalId: randomUUID() }).slice(0, 5 + int(20)) };
    if (roll < 0.23) return { kind: 'deep nesting', body: deep(1000 + int(20_000)) };
    if (roll < 0.26)
      return { kind: 'huge', body: JSON.stringify({ goalId: randomUUID(), pad: 'x'.repeat(600_000 + int(300_000)) }) };
    if (roll < 0.3) return { kind: 'empty', body: '' };
    return { kind: 'wrong shape', body: JSON.stringify(pick(shapes)()) };
  };
}

describe("hostile requests on a runner's command subjects", () => {
  it(
    'answers each with a well-formed reply (a clear error unless it was valid) and keeps serving',
    { timeout: 600_000 },
    async () => {
      const random = seededRandom(SEED);
      const nextBody = bodyGenerator(SEED + 1);
      const known = Object.keys(commands);
      const channels = [
        ...known,
        'no.such.channel',
        'app.info',
        'goal.open',
        'goals',
        'x'.repeat(200),
        'goal.get.extra',
        '_',
        '$',
      ];
      const failures: string[] = [];
      let answered = 0;
      const cases = Array.from({ length: RUNNER_CASES }, (_, index) => ({
        index,
        channel: channels[Math.floor(random() * channels.length)]!,
        reply: random() > 0.1,
        ...nextBody(),
      }));
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < cases.length) {
          const fuzz = cases[next++]!;
          const subject = commandSubject('box', fuzz.channel);
          if (!fuzz.reply) {
            attacker.publish(subject, fuzz.body);
            continue;
          }
          let msg: Msg;
          try {
            msg = await attacker.request(subject, fuzz.body, { timeout: ANSWER_MS });
          } catch (error) {
            failures.push(`case ${fuzz.index} (${fuzz.kind} on ${fuzz.channel}): no answer: ${String(error)}`);
            continue;
          }
          answered += 1;
          let reply: unknown;
          try {
            reply = msg.json();
          } catch {
            failures.push(`case ${fuzz.index} (${fuzz.kind} on ${fuzz.channel}): the reply is not JSON`);
            continue;
          }
          const envelope = CommandReplySchema.safeParse(reply);
          if (!envelope.success) failures.push(`case ${fuzz.index} (${fuzz.kind} on ${fuzz.channel}): malformed reply`);
          else if (!envelope.data.ok && envelope.data.error.message.trim() === '')
            failures.push(`case ${fuzz.index} (${fuzz.kind} on ${fuzz.channel}): an error without a message`);
          else if (envelope.data.ok && !known.includes(fuzz.channel))
            failures.push(`case ${fuzz.index}: "${fuzz.channel}" succeeded though no such command exists`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(failures, `seed ${SEED}`).toEqual([]);
      expect(answered).toBeGreaterThan(RUNNER_CASES / 2);
      expect(prototypeClean()).toBe(true);

      // Still serving, still announcing itself.
      const ping = (
        await attacker.request(commandSubject('box', 'ping'), JSON.stringify({ nonce: 'after' }), {
          timeout: ANSWER_MS,
        })
      ).json();
      expect(ping).toMatchObject({ ok: true, value: { nonce: 'after' } });
      const kv = await presenceBucket(attacker, false);
      await until(
        async () => (await listRunners(kv)).find((status) => status.presence.name === 'box' && status.online),
        'box online',
      );
    },
  );
});

describe('a hostile runner and hostile events against the console', () => {
  /** One command on the console as the browser sends it (the InvokeResult). */
  const onConsole = (channel: CommandChannel, payload: unknown) =>
    consoleHost.dispatcher.invoke(channel, payload, { transport: 'browser' });

  it(
    'answers its clients with a clear error whatever a runner replies, and forwards no field an old runner lacks',
    { timeout: 300_000 },
    async () => {
      // A goal summary of the right shape, for the hostile runner to claim.
      const made = await runnerHost.dispatcher.invoke(
        'goal.create',
        { description: 'a goal to copy', repoPath: fixtureRepo(root), start: false },
        { transport: 'local' },
      );
      if (!made.ok) throw new Error(made.error.message);
      const listed = await runnerHost.dispatcher.invoke('goals.list', {}, { transport: 'local' });
      if (!listed.ok) throw new Error(listed.error.message);
      const template = (listed.value as { goals: GoalSummary[] }).goals[0]!;
      const evilGoal: GoalSummary = { ...template, id: randomUUID(), description: 'claimed by evil' };
      const evilRequest = randomUUID();

      // "evil": announced without a contract version (a runner from before versions), answering
      // goals.list properly and every other command with the next hostile reply.
      const presence: RunnerPresence = {
        name: 'evil',
        instanceId: 'i',
        version: '0.0.1',
        os: 'x',
        hostname: 'x',
        claudeBinary: null,
        maxSlots: 1,
        freeSlots: 1,
        runningGoalIds: [],
        queuedGoals: 0,
        startedAt: new Date().toISOString(),
        at: new Date().toISOString(),
        heartbeatMs: 600_000,
        state: 'online',
      };
      await (await presenceBucket(attacker, false)).put('evil', JSON.stringify(presence));
      const random = seededRandom(SEED + 2);
      const hostileReplies: (Uint8Array | string)[] = [
        Uint8Array.from({ length: 512 }, () => Math.floor(random() * 256)),
        '',
        'null',
        '[]',
        '42',
        '"ok"',
        '{"ok":true}',
        '{"ok":true,"value":{"wrong":1}}',
        '{"ok":false}',
        '{"ok":false,"error":{"code":"not_a_code","message":"x","channel":null,"issues":[]}}',
        JSON.stringify({
          ok: false,
          error: { code: 'internal', message: 'm'.repeat(500_000), channel: 'goal.get', issues: [] },
        }),
        '{"__proto__":{"polluted":true},"ok":true,"value":{"__proto__":{"polluted":true}}}',
        '{"ok":false,"error":{"__proto__":{"polluted":true},"code":"internal","message":"x","channel":null,"issues":[]}}',
        '['.repeat(50_000) + ']'.repeat(50_000),
        JSON.stringify({ ok: true, value: { pad: 'x'.repeat(900_000) } }),
      ];
      let replyIndex = 0;
      const received: { channel: string; body: string }[] = [];
      const prefix = `${commandPrefix('evil')}.`;
      const evil = attacker.subscribe(`${prefix}>`, {
        callback: (_error, msg) => {
          const channel = msg.subject.slice(prefix.length);
          received.push({ channel, body: msg.string() });
          if (channel === 'goals.list') {
            msg.respond(JSON.stringify({ ok: true, value: { goals: [evilGoal] } }));
            return;
          }
          if (channel === 'permissions.pending') {
            msg.respond(JSON.stringify({ ok: true, value: { records: [] } }));
            return;
          }
          if (channel === 'permission.decide') {
            msg.respond(JSON.stringify({ ok: true, value: { ok: true } }));
            return;
          }
          const body = hostileReplies[replyIndex++ % hostileReplies.length]!;
          msg.respond(body);
          // A second reply to the same request, and replies to requests nobody made.
          msg.respond(body);
          if (msg.reply !== undefined) {
            const inbox = msg.reply.slice(0, msg.reply.lastIndexOf('.'));
            attacker.publish(`${inbox}.${randomUUID().replaceAll('-', '')}`, body);
            attacker.publish(`${inbox}.x.y`, '{"ok":true,"value":1}');
          }
        },
      });
      await attacker.flush();

      const { goals } = await until(async () => {
        const result = await onConsole('goals.list', {});
        if (!result.ok) throw new Error(result.error.message);
        const value = result.value as { goals: GoalSummary[] };
        return value.goals.some((goal) => goal.id === evilGoal.id) ? value : null;
      }, "evil's goal listed");
      expect(goals.find((goal) => goal.id === evilGoal.id)?.runner).toBe('evil');

      for (let round = 0; round < hostileReplies.length * 2; round += 1) {
        const channel = (['goal.get', 'goal.events', 'goal.cancel', 'goal.cumulativeDiff'] as const)[round % 4]!;
        const result = await onConsole(channel, { goalId: evilGoal.id });
        expect(result.ok, `round ${round} on ${channel}`).toBe(false);
        if (result.ok) continue;
        expect(CommandErrorSchema.safeParse(result.error).success).toBe(true);
        expect(result.error.message).toMatch(/runner evil|on runner evil/);
        expect(result.error.message.length).toBeLessThanOrEqual(2000);
      }
      expect(prototypeClean()).toBe(true);

      // A decision for evil's request (learned from its event) leaves decidedBy off: evil announced no version.
      const js = jetstream(attacker);
      const h = headers();
      h.set(HEADER_RUNNER, 'evil');
      await js.publish(
        'overseer.event.evil.permission_requested',
        JSON.stringify({
          runner: 'evil',
          logSeq: 1,
          at: new Date().toISOString(),
          event: {
            kind: 'permission_requested',
            goalId: evilGoal.id,
            request: {
              id: evilRequest,
              goalId: evilGoal.id,
              turnIndex: 0,
              toolName: 'Bash',
              toolUseId: 't',
              input: { command: 'ls' },
              createdAt: new Date().toISOString(),
            },
          },
        }),
        { headers: h },
      );
      await until(
        () =>
          hubEvents.some(
            (logged) => logged.event.kind === 'permission_requested' && logged.event.request.id === evilRequest,
          ),
        'the event on the hub',
      );
      const decided = await onConsole('permission.decide', { requestId: evilRequest, action: { kind: 'allow' } });
      expect(decided).toEqual({ ok: true, value: { ok: true } });
      const decideBody = received.find((entry) => entry.channel === 'permission.decide')?.body ?? '';
      expect(JSON.parse(decideBody)).toEqual({ requestId: evilRequest, action: { kind: 'allow' } });

      evil.unsubscribe();
      // The console still answers its own goals and commands.
      const local = await onConsole('goal.create', {
        description: 'still mine',
        repoPath: fixtureRepo(root),
        start: false,
      });
      expect(local.ok).toBe(true);
      expect(await onConsole('ping', { nonce: 'alive' })).toMatchObject({ ok: true });
    },
  );

  it(
    'drops hostile events on the stream and lets none re-assign a goal another runner owns',
    { timeout: 300_000 },
    async () => {
      // box owns this goal; the console learns so from box's list.
      const made = await onConsole('runner.goal.create', {
        runner: 'box',
        goal: { description: 'box goal', repoPath: fixtureRepo(root), start: false },
      });
      if (!made.ok) throw new Error(made.error.message);
      const boxGoal = (made.value as { goalId: string }).goalId;
      expect(remote.runnerOf(boxGoal)).toBe('box');
      const before = hubEvents.length;

      const js = jetstream(attacker);
      const withRunner = (runnerName: string | null) => {
        const h = headers();
        if (runnerName !== null) h.set(HEADER_RUNNER, runnerName);
        return { headers: h };
      };
      const at = new Date().toISOString();
      const paused = (goalId: string, runnerName: string) =>
        JSON.stringify({ runner: runnerName, logSeq: 9, at, event: { kind: 'goal_paused', goalId } });
      // Two are well-formed once their unknown keys are dropped: those reach the hub (keys dropped).
      const nilGoal = '00000000-0000-4000-8000-000000000000';
      const padded = randomUUID();
      const hostile: [string, Uint8Array | string, string | null][] = [
        ['overseer.event.evil.x', Uint8Array.from([0xff, 0xfe, 0x00, 0x7b]), 'evil'],
        ['overseer.event.evil.x', '{"runner":"evil"', 'evil'],
        ['overseer.event.evil.x', 'null', 'evil'],
        [
          'overseer.event.evil.x',
          '{"__proto__":{"polluted":true},"runner":"evil","logSeq":1,"at":"x","event":{"kind":"goal_paused","goalId":"00000000-0000-4000-8000-000000000000","__proto__":{"polluted":true}}}',
          'evil',
        ],
        [
          'overseer.event.evil.x',
          JSON.stringify({ runner: 'evil', logSeq: 1, at, event: { kind: 'no_such_kind', goalId: randomUUID() } }),
          'evil',
        ],
        [
          'overseer.event.evil.x',
          JSON.stringify({
            runner: 'evil',
            logSeq: 1,
            at,
            event: { kind: 'goal_paused', goalId: padded, pad: 'x'.repeat(900_000) },
          }),
          'evil',
        ],
        ['overseer.event.evil.x', paused(randomUUID(), 'evil'), null],
        ['overseer.event.evil.x', paused(randomUUID(), 'box'), 'evil'],
        // A runner's kinds on another runner's subject.
        ['overseer.event.evil.goal_paused', paused(randomUUID(), 'box'), 'box'],
        // Forged: another runner's events about box's goal, on its own subject and on the shared driver subjects.
        ['overseer.event.evil.goal_paused', paused(boxGoal, 'evil'), 'evil'],
        ['agent.driver.progress', paused(boxGoal, 'evil'), 'evil'],
      ];
      for (const [subject, body, runnerName] of hostile) await js.publish(subject, body, withRunner(runnerName));
      // A well-formed event after them all: once it is on the hub, every hostile one was read first.
      const marker = randomUUID();
      await js.publish('overseer.event.evil.goal_paused', paused(marker, 'evil'), withRunner('evil'));
      await until(
        () => hubEvents.some((logged) => logged.event.goalId === marker),
        'the well-formed event after the hostile ones',
      );

      const arrived = hubEvents.slice(before).filter((logged) => logged.event.kind !== 'permission_requested');
      expect(arrived.map((logged) => logged.event.goalId)).toEqual([nilGoal, padded, marker]);
      for (const logged of arrived) {
        expect(Object.keys(logged.event).sort()).toEqual(['goalId', 'kind']);
        expect(Object.hasOwn(logged.event, '__proto__')).toBe(false);
      }
      expect(remote.runnerOf(boxGoal)).toBe('box');
      expect(prototypeClean()).toBe(true);
      // Commands on box's goal still reach box.
      const got = await onConsole('goal.get', { goalId: boxGoal });
      expect(got.ok).toBe(true);
    },
  );
});
