// The console's remote goals (`overseer serve --nats URL`): one forwarding layer in front of the
// host's dispatcher, so every view of the console works on goals that live on runners. Lists
// (goals, pending prompts, search) are the host's own answer plus each online runner's, goals
// marked with their runner's name; a command naming a goal or a permission request this host does
// not own goes to the runner that owns it (a map learned from those lists and from the events);
// `runner.goal.create` and `runner.repo.validate` go to the runner they name. A runner that stops
// answering keeps its goals in the list as it last listed them (the console shows it offline). The runners' events
// are read from the JetStream stream (from "now"; a goal opened later catches up through
// goal.events, which is forwarded too) and republished through the host's event hub, so the
// console's clients see remote timelines live. Every request is bounded: a runner that is gone is
// a clear error, never a wait. A permission decision forwarded to a runner carries this console's
// name (`decidedBy`), so the runner records and publishes who decided; a command leaves off the
// fields the runner's announced contract version does not have (contract-version.ts).
import { PermissionViolationError, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { commands, type CommandChannel, type CommandResponse } from '../../shared/contract.js';
import { GOAL_LIST_MAX_LIMIT, newestGoalFirst } from '../../shared/domain/goal-list.js';
import type { PermissionRecord } from '../../shared/domain/permission.js';
import { HostError, type CommandContext, type CommandInterceptor, type EventHub } from '../host/index.js';
import type { Stores } from '../store/index.js';
import type { RunnerStatus } from './presence.js';
import { contractOf, OLDEST_CONTRACT, payloadForContract } from './contract-version.js';
import { commandSubject, EVENT_STREAM, HEADER_RUNNER } from './subjects.js';
import { CommandReplySchema, runnerEventOf } from './wire.js';
import { RunnerGoalLists, goalListQuestion, type ListedGoals } from './runner-goal-lists.js';

/** How long a runner may take to answer a list or a read (the console's views wait on it). */
const READ_TIMEOUT_MS = 15_000;
/** Commands that do real work on the runner (worktree setup, landing, rollback) may take longer. */
const SLOW_TIMEOUT_MS = 180_000;
const SLOW_CHANNELS: ReadonlySet<string> = new Set([
  'goal.create',
  'goal.delete',
  'goal.rollback',
  'goal.cleanup',
  'land.commit',
  'land.merge',
  'land.rebase',
  'land.pr',
]);
/** Lists from runners are answered within this, or that runner is left out of this answer. */
const LIST_TIMEOUT_MS = 5_000;
/** How long the online-runner list is reused (the views ask for lists on every event burst). */
const RUNNERS_CACHE_MS = 1000;
/** A runner's error message is kept to this many characters (the console adds which runner said it). */
const RUNNER_MESSAGE_MAX = 1500;
/** How often the event reader tries again while the stream does not exist yet (no runner ever started). */
const STREAM_RETRY_MS = 2000;

export interface RemoteGoalsOptions {
  nc: NatsConnection;
  /** The host the console serves: its own goals and prompts are answered here, never forwarded. */
  host: { stores: Stores; events: EventHub };
  /** The runners announced on the NATS server (presence). */
  listRunners: () => Promise<RunnerStatus[]>;
  /** This console's name, sent with the permission decisions it forwards so every console sees who decided. */
  consoleName?: string;
  /** Told of trouble the console keeps going through (the event stream unreadable for now). */
  onWarning?: (message: string) => void;
}

export interface RemoteGoals {
  /** Installed on the host's dispatcher (`dispatcher.intercept(remote.intercept)`). */
  readonly intercept: CommandInterceptor;
  /** Which runner owns a goal, as learned so far (null: not known as remote). */
  runnerOf(goalId: string): string | null;
  close(): Promise<void>;
}

/** `promise`'s value, or `fallback` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function stringField(request: unknown, field: string): string | null {
  if (typeof request !== 'object' || request === null) return null;
  const value = (request as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

/** A request that failed on the way, in words a person can act on, as a HostError. */
export function requestFailure(runner: string, channel: string, error: unknown): HostError {
  const causes: unknown[] = [error];
  if (error instanceof Error && error.cause !== undefined) causes.push(error.cause);
  for (const cause of causes) {
    if (cause instanceof PermissionViolationError)
      return new HostError(
        'unauthorized',
        `this console's NATS user may not publish on ${commandSubject(runner, channel)} (it needs publish rights on overseer.runner.${runner}.cmd.>; see docs/nats.md)`,
      );
    if (cause instanceof NoRespondersError || (cause instanceof RequestError && cause.isNoResponders()))
      return new HostError('unavailable', `runner ${runner} is offline (nothing answers its commands on NATS)`);
    if (cause instanceof TimeoutError)
      return new HostError(
        'unavailable',
        `runner ${runner} did not answer "${channel}" in time; it may be overloaded or gone`,
      );
  }
  return new HostError(
    'unavailable',
    `"${channel}" on runner ${runner} failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export async function startRemoteGoals(options: RemoteGoalsOptions): Promise<RemoteGoals> {
  const { nc, host } = options;
  const goalRunner = new Map<string, string>();
  const requestRunner = new Map<string, string>();
  let closed = false;

  /**
   * One command on one runner, its answer checked against the contract. The payload leaves off
   * what the runner's contract version does not have (a runner not announced yet: the oldest).
   */
  async function request<C extends CommandChannel>(
    runner: string,
    channel: C,
    payload: unknown,
    timeoutMs = SLOW_CHANNELS.has(channel) ? SLOW_TIMEOUT_MS : READ_TIMEOUT_MS,
  ): Promise<CommandResponse<C>> {
    const spoken = payloadForContract(await contractFor(runner), channel, payload);
    let raw: unknown;
    try {
      const reply = await nc.request(commandSubject(runner, channel), JSON.stringify(spoken), {
        timeout: timeoutMs,
      });
      raw = reply.json();
    } catch (error) {
      throw requestFailure(runner, channel, error);
    }
    const envelope = CommandReplySchema.safeParse(raw);
    if (!envelope.success) throw new HostError('internal', `runner ${runner} sent a malformed answer to "${channel}"`);
    if (!envelope.data.ok) {
      const { code, message, issues } = envelope.data.error;
      // Clipped so the runner's name always fits in the error the console's clients get.
      const said = message.length > RUNNER_MESSAGE_MAX ? `${message.slice(0, RUNNER_MESSAGE_MAX)}…` : message;
      throw new HostError(code, `${said} (on runner ${runner})`, issues);
    }
    const value = commands[channel].response.safeParse(envelope.data.value);
    if (!value.success)
      throw new HostError(
        'internal',
        `runner ${runner}'s answer to "${channel}" does not match this console's contract`,
      );
    return value.data as CommandResponse<C>;
  }

  // The online runners, re-read from presence at most every RUNNERS_CACHE_MS. A slow read (NATS
  // restarting) never holds a list up: the last names known are used meanwhile, and with none yet
  // it is waited for at most LIST_TIMEOUT_MS. Each runner's contract version is kept beside.
  let knownRunners: string[] | null = null;
  const runnerContracts = new Map<string, number>();
  let readAt = 0;
  let reading: Promise<string[]> | null = null;
  function onlineRunners(): Promise<string[]> {
    if (reading === null && (knownRunners === null || Date.now() - readAt >= RUNNERS_CACHE_MS)) {
      reading = options
        .listRunners()
        .then((statuses) => {
          for (const { presence } of statuses) runnerContracts.set(presence.name, contractOf(presence.contract));
          return [...new Set(statuses.filter((status) => status.online).map((status) => status.presence.name))];
        })
        .then(
          (names) => {
            knownRunners = names;
            return names;
          },
          () => knownRunners ?? [],
        )
        .finally(() => {
          readAt = Date.now();
          reading = null;
        });
    }
    if (knownRunners !== null) return Promise.resolve(knownRunners);
    return within(reading ?? Promise.resolve([]), LIST_TIMEOUT_MS, []);
  }

  /**
   * The contract version `runner` announced. Presence is re-read in the background as for the
   * lists (an upgraded runner is seen within a second or so); a runner not seen yet is waited for
   * once (at most LIST_TIMEOUT_MS), and one that never announced a version speaks the oldest.
   */
  async function contractFor(runner: string): Promise<number> {
    const listing = onlineRunners();
    if (!runnerContracts.has(runner)) await within(reading ?? listing, LIST_TIMEOUT_MS, []);
    return runnerContracts.get(runner) ?? OLDEST_CONTRACT;
  }

  /** `channel` on every online runner at once; a runner that fails or is slow is left out. */
  async function fromEveryRunner<C extends CommandChannel>(
    channel: C,
    payload: unknown,
  ): Promise<{ runner: string; value: CommandResponse<C> }[]> {
    const names = await onlineRunners();
    const answers = await Promise.all(
      names.map((runner) =>
        request(runner, channel, payload, LIST_TIMEOUT_MS).then(
          (value) => ({ runner, value }),
          () => null,
        ),
      ),
    );
    return answers.filter((answer): answer is { runner: string; value: CommandResponse<C> } => answer !== null);
  }

  /** Each runner's goals as it last listed them, per list asked: a runner that is offline (or slow) keeps its rows. */
  const lastListed = new RunnerGoalLists();
  async function remoteGoals(payload: unknown): Promise<ListedGoals> {
    const question = goalListQuestion(payload);
    for (const { runner, value } of await fromEveryRunner('goals.list', payload)) {
      const goals = value.goals.map((goal) => ({ ...goal, runner }));
      for (const goal of goals) goalRunner.set(goal.id, runner);
      lastListed.remember(runner, question, { goals, total: value.total });
    }
    const listed = lastListed.answers(question);
    const totals = listed.map((entry) => entry.total);
    return {
      goals: listed.flatMap((entry) => entry.goals),
      total: totals.every((total) => total !== undefined) ? totals.reduce((sum, n) => sum + n, 0) : undefined,
    };
  }

  async function remotePending(): Promise<PermissionRecord[]> {
    const records: PermissionRecord[] = [];
    for (const { runner, value } of await fromEveryRunner('permissions.pending', {})) {
      for (const record of value.records) {
        requestRunner.set(record.request.id, runner);
        goalRunner.set(record.request.goalId, runner);
        records.push(record);
      }
    }
    return records;
  }

  /** The runner owning a goal this host does not have (asking the runners once when not known yet). */
  async function ownerOfGoal(goalId: string): Promise<string | null> {
    if (host.stores.goals.get(goalId) !== null) return null;
    if (!goalRunner.has(goalId)) await remoteGoals({ limit: GOAL_LIST_MAX_LIMIT });
    return goalRunner.get(goalId) ?? null;
  }

  async function ownerOfRequest(requestId: string): Promise<string | null> {
    if (host.stores.permissions.get(requestId) !== null) return null;
    if (!requestRunner.has(requestId)) await remotePending();
    return requestRunner.get(requestId) ?? null;
  }

  /** A permission decision leaving for a runner names this console (unless the caller named one). */
  function withConsoleName(channel: CommandChannel, payload: unknown): unknown {
    if (channel !== 'permission.decide' || options.consoleName === undefined) return payload;
    if (typeof payload !== 'object' || payload === null || stringField(payload, 'decidedBy') !== null) return payload;
    return { ...payload, decidedBy: options.consoleName };
  }

  const intercept: CommandInterceptor = async (
    channel: CommandChannel,
    payload: unknown,
    context: CommandContext,
    runHere: () => Promise<unknown>,
  ): Promise<unknown> => {
    if (context.transport === 'nats') return runHere();
    switch (channel) {
      case 'goals.list': {
        const [local, remote] = await Promise.all([
          runHere() as Promise<CommandResponse<'goals.list'>>,
          remoteGoals(payload),
        ]);
        const goals = [...local.goals, ...remote.goals].sort(newestGoalFirst);
        // The total is only known when every runner that answered said it (older runners do not).
        const total = local.total === undefined || remote.total === undefined ? undefined : local.total + remote.total;
        return total === undefined ? { goals } : { goals, total };
      }
      case 'permissions.pending': {
        const [local, remote] = await Promise.all([
          runHere() as Promise<CommandResponse<'permissions.pending'>>,
          remotePending(),
        ]);
        return { records: [...local.records, ...remote] };
      }
      case 'search': {
        const [local, remote] = await Promise.all([
          runHere() as Promise<CommandResponse<'search'>>,
          fromEveryRunner('search', payload),
        ]);
        const limit =
          typeof (payload as { limit?: unknown }).limit === 'number' ? (payload as { limit: number }).limit : 50;
        const hits = [...local.hits];
        for (const { runner, value } of remote) {
          for (const hit of value.hits) {
            goalRunner.set(hit.goalId, runner);
            hits.push(hit);
          }
        }
        return { hits: hits.slice(0, limit) };
      }
      case 'runner.repo.validate': {
        const runner = stringField(payload, 'runner') ?? '';
        return request(runner, 'repo.validate', { path: stringField(payload, 'path') ?? '' });
      }
      case 'runner.goal.create': {
        const runner = stringField(payload, 'runner') ?? '';
        const goal = (payload as { goal: unknown }).goal;
        const created = await request(runner, 'goal.create', goal);
        goalRunner.set(created.goalId, runner);
        return created;
      }
      default:
        break;
    }
    const goalId = stringField(payload, 'goalId');
    if (goalId !== null) {
      const runner = await ownerOfGoal(goalId);
      if (runner !== null) return request(runner, channel, payload);
      return runHere();
    }
    const requestId = stringField(payload, 'requestId');
    if (requestId !== null) {
      const runner = await ownerOfRequest(requestId);
      if (runner !== null) return request(runner, channel, withConsoleName(channel, payload));
    }
    return runHere();
  };

  // Live events: every runner's, from now on, republished on the host's hub as its own goal events.
  let messages: ConsumerMessages | null = null;
  let retry: NodeJS.Timeout | null = null;
  let warned = false;
  const follow = async (): Promise<void> => {
    if (closed) return;
    try {
      const consumer = await jetstream(nc).consumers.get(EVENT_STREAM, { deliver_policy: DeliverPolicy.New });
      messages = await consumer.consume();
    } catch (error) {
      if (!warned)
        options.onWarning?.(
          `cannot follow the runners' events yet (${error instanceof Error ? error.message : String(error)}); trying again`,
        );
      warned = true;
      retry = setTimeout(() => void follow(), STREAM_RETRY_MS);
      retry.unref();
      return;
    }
    for await (const message of messages) {
      const runner = message.headers?.get(HEADER_RUNNER) ?? '';
      if (runner === '') continue;
      // A runner's own kinds come on its own subject (`overseer.event.<runner>.…`): another name there is forged.
      const subjectRunner = /^overseer\.event\.([^.]+)\./.exec(message.subject)?.[1];
      if (subjectRunner !== undefined && subjectRunner !== runner) continue;
      const parsed = runnerEventOf(message, runner);
      if (parsed === null) continue;
      const { logSeq, at, event } = parsed;
      // A goal of this host's own (it cannot be, unless two hosts share a data directory) is not shadowed.
      if (host.stores.goals.get(event.goalId) !== null) continue;
      // Nor is another runner's goal: its owner, once known (from its own list or its first events), stays.
      const owner = goalRunner.get(event.goalId);
      if (owner !== undefined && owner !== runner) continue;
      goalRunner.set(event.goalId, runner);
      if (
        event.kind === 'permission_requested' &&
        event.request.goalId === event.goalId &&
        (requestRunner.get(event.request.id) ?? runner) === runner
      )
        requestRunner.set(event.request.id, runner);
      try {
        host.events.publish('goal.event', { logSeq, at, event });
      } catch {
        // An event this console's contract does not know (a newer runner) is skipped, not fatal.
      }
    }
  };
  void follow().catch((error: unknown) =>
    options.onWarning?.(
      `stopped following the runners' events: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );

  return {
    intercept,
    runnerOf: (goalId) => goalRunner.get(goalId) ?? null,
    async close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      await messages?.close().catch(() => undefined);
    },
  };
}
