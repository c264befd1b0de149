// The CLI's HostClient for a runner over NATS (`--runner NAME`): commands by request/reply on the
// runner's command subjects (answers parsed against the contract, as over the WebSocket), events
// from an ordered JetStream consumer on the event stream starting now (only this runner's, as
// the host's `goal.event`s), and the runner's presence watched so a runner that goes offline ends
// a follow with a clear reason instead of a wait forever.
import {
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import {
  parseInvokeResult,
  type CommandChannel,
  type CommandRequest,
  type CommandResponse,
  type HostEvent,
} from '../../shared/contract.js';
import { CommandFailure, type HostClient } from '../cli/index.js';
import { connectNats, type NatsSettings } from './connection.js';
import { openPresence, readRunner, type RunnerStatus } from './presence.js';
import { commandSubject, EVENT_STREAM, HEADER_RUNNER } from './subjects.js';
import { runnerEventOf } from './wire.js';

/** Long enough for goal.create (worktree and setup) and landing on a busy runner. */
const COMMAND_TIMEOUT_MS = 300_000;
/** How often a follower checks that the runner is still there. */
const PRESENCE_POLL_MS = 1000;
/** Polls in a row that must find the runner offline before a follow gives up on it. */
const OFFLINE_POLLS = 3;

export class RunnerUnavailableError extends Error {
  override readonly name = 'RunnerUnavailableError';
}

export interface RunnerClient extends HostClient {
  readonly runner: string;
  readonly status: RunnerStatus;
}

function failure(channel: string, code: 'unavailable' | 'unauthorized' | 'internal', message: string): CommandFailure {
  return new CommandFailure({ code, message, channel, issues: [] });
}

/** Why a request failed, in words a person can act on. */
export function describeRequestError(runner: string, subject: string, channel: string, error: unknown): CommandFailure {
  const causes: unknown[] = [error];
  if (error instanceof Error && error.cause !== undefined) causes.push(error.cause);
  for (const cause of causes) {
    if (cause instanceof PermissionViolationError) {
      return failure(
        channel,
        'unauthorized',
        `this NATS user may not publish on ${subject}: the server refused it (a console or CLI needs publish rights on overseer.runner.${runner}.cmd.>; see docs/nats.md)`,
      );
    }
    if (cause instanceof NoRespondersError || (cause instanceof RequestError && cause.isNoResponders())) {
      return failure(
        channel,
        'unavailable',
        `runner ${runner} did not answer: it is not running (see \`overseer runners\`)`,
      );
    }
    if (cause instanceof TimeoutError)
      return failure(channel, 'unavailable', `runner ${runner} did not answer "${channel}" in time`);
  }
  return failure(
    channel,
    'internal',
    `"${channel}" on runner ${runner} failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export async function connectRunnerClient(
  settings: NatsSettings,
  runner: string,
  options: { nc?: NatsConnection } = {},
): Promise<RunnerClient> {
  const nc = options.nc ?? (await connectNats(settings, `overseer-cli → ${runner}`));
  const ownsConnection = options.nc === undefined;
  let kv: KV | null;
  let status: RunnerStatus | null;
  try {
    kv = await openPresence(nc);
    status = kv === null ? null : await readRunner(kv, runner);
  } catch (error) {
    if (ownsConnection) await nc.close();
    throw error;
  }
  if (kv === null || status === null) {
    if (ownsConnection) await nc.close();
    throw new RunnerUnavailableError(`no runner named "${runner}" on ${settings.url} (see \`overseer runners\`)`);
  }
  if (!status.online) {
    if (ownsConnection) await nc.close();
    throw new RunnerUnavailableError(
      `runner ${runner} is ${status.presence.state === 'stopped' ? 'stopped' : 'offline'} (last seen ${status.lastSeen}); start it again with \`overseer agent --name ${runner}\``,
    );
  }
  const presence: KV = kv;

  const listeners = new Set<(event: HostEvent) => void>();
  const lostListeners = new Set<(reason: string) => void>();
  let lost: string | null = null;
  const markLost = (reason: string): void => {
    if (lost !== null) return;
    lost = reason;
    for (const listener of lostListeners) listener(reason);
  };

  // Events from now on: created before any command, so nothing a command causes is missed.
  const consumer = await jetstream(nc).consumers.get(EVENT_STREAM, { deliver_policy: DeliverPolicy.New });
  const messages: ConsumerMessages = await consumer.consume();
  void (async () => {
    for await (const message of messages) {
      if (message.headers?.get(HEADER_RUNNER) !== runner) continue;
      const parsed = runnerEventOf(message, runner);
      if (parsed === null) continue;
      const { logSeq, at, event } = parsed;
      const hostEvent: HostEvent = { seq: message.seq, channel: 'goal.event', payload: { logSeq, at, event } };
      for (const listener of listeners) {
        try {
          listener(hostEvent);
        } catch {
          // One listener's failure does not stop the others.
        }
      }
    }
  })().catch(() => undefined);

  // Offline only when seen so several polls in a row: a NATS server restart delays heartbeats briefly.
  let offlinePolls = 0;
  const poll = setInterval(() => {
    readRunner(presence, runner)
      .then((now) => {
        offlinePolls = now === null || !now.online ? offlinePolls + 1 : 0;
        if (offlinePolls >= OFFLINE_POLLS)
          markLost(
            `runner ${runner} went offline; its goals continue when it is back (overseer resume --runner ${runner} GOAL)`,
          );
      })
      .catch(() => undefined);
  }, PRESENCE_POLL_MS);
  poll.unref();
  void nc.closed().then(() => markLost('the NATS connection closed'));

  return {
    kind: 'remote',
    runner,
    status,
    async invoke<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
      if (lost !== null) throw failure(channel, 'unavailable', lost);
      const subject = commandSubject(runner, channel);
      let raw: unknown;
      try {
        const reply = await nc.request(subject, JSON.stringify(payload), { timeout: COMMAND_TIMEOUT_MS });
        raw = reply.json();
      } catch (error) {
        throw describeRequestError(runner, subject, channel, error);
      }
      const result = parseInvokeResult(channel, raw);
      if (!result.ok) throw new CommandFailure(result.error);
      return result.value;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onLost(listener) {
      lostListeners.add(listener);
    },
    async close() {
      lostListeners.clear();
      clearInterval(poll);
      await messages.close().catch(() => undefined);
      if (ownsConnection && !nc.isClosed()) await nc.close();
    },
  };
}
