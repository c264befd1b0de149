// A runner: an Overseer host on some machine made reachable over NATS. It composes the three
// pieces of the NATS transport around the host (which stays exactly the local host): commands by
// request/reply into its dispatcher, its event log published on the JetStream stream, and its
// presence (name, version, OS, slots, Claude binary, the NATS contract version it speaks) in the
// KV bucket with a heartbeat.
import { randomUUID } from 'node:crypto';
import { hostname, platform, release, arch } from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { Host } from '../host/index.js';
import { OVERSEER_VERSION } from '../version.js';
import { serveCommands } from './command-server.js';
import { NATS_CONTRACT } from './contract-version.js';
import { startEventOutbox, type EventOutbox } from './event-outbox.js';
import { presenceBucket, readRunner } from './presence.js';
import { EVENT_STREAM, EVENT_STREAM_SUBJECTS } from './subjects.js';
import type { RunnerPresence } from './wire.js';

export interface RunnerOptions {
  nc: NatsConnection;
  host: Host;
  name: string;
  /** The Claude Code binary the host uses (null: none found). */
  claudeBinary: string | null;
  heartbeatMs?: number;
  /** Told of trouble the runner keeps going through (e.g. NATS down: events wait). */
  onWarning?: (message: string) => void;
}

export interface Runner {
  readonly outbox: EventOutbox;
  /** Stops taking commands (first step of shutting down: the host closes next). */
  stopCommands(): void;
  /** Publishes what is still unpublished (waiting at most `drainMs`), then says goodbye. */
  close(drainMs?: number): Promise<void>;
}

/** Another live runner already uses the name. */
export class RunnerNameTakenError extends Error {
  override readonly name = 'RunnerNameTakenError';
}

/** Events are kept a week by default: long enough for a console that was away over a weekend. */
const EVENT_MAX_AGE_NS = 7 * 24 * 3600 * 1_000_000_000;

/** Creates the event stream if missing (a stream that exists is left as its operator configured it). */
export async function ensureEventStream(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(EVENT_STREAM);
  } catch (error) {
    if (!(error instanceof Error) || !/not found/i.test(error.message)) throw error;
    await jsm.streams.add({
      name: EVENT_STREAM,
      subjects: [...EVENT_STREAM_SUBJECTS],
      storage: StorageType.File,
      max_age: EVENT_MAX_AGE_NS,
    });
  }
}

export async function startRunner(options: RunnerOptions): Promise<Runner> {
  const { nc, host, name } = options;
  const heartbeatMs = options.heartbeatMs ?? 5000;
  await ensureEventStream(nc);
  const kv: KV = await presenceBucket(nc, true);
  const existing = await readRunner(kv, name);
  if (existing !== null && existing.online) {
    throw new RunnerNameTakenError(
      `a runner named "${name}" is already online (${existing.presence.hostname}, last seen ${existing.lastSeen}); choose another --name, or stop that one first`,
    );
  }
  const instanceId = randomUUID();
  const startedAt = new Date().toISOString();
  const presence = (state: RunnerPresence['state']): RunnerPresence => {
    const maxSlots = host.stores.settings.get('goals.running').maxRunningGoals;
    const runningGoalIds = host.runner.runningGoalIds();
    return {
      name,
      instanceId,
      version: OVERSEER_VERSION,
      os: `${platform()} ${release()} ${arch()}`,
      hostname: hostname(),
      claudeBinary: options.claudeBinary,
      maxSlots,
      freeSlots: Math.max(0, maxSlots - runningGoalIds.length),
      runningGoalIds,
      queuedGoals: host.runner.queuedGoalIds().length,
      startedAt,
      at: new Date().toISOString(),
      heartbeatMs,
      state,
      contract: NATS_CONTRACT,
    };
  };
  let lastWarning: string | null = null;
  const announce = async (state: RunnerPresence['state']): Promise<void> => {
    try {
      await kv.put(name, JSON.stringify(presence(state)));
      lastWarning = null;
    } catch (error) {
      const message = `could not update presence: ${error instanceof Error ? error.message : String(error)}`;
      if (message !== lastWarning) options.onWarning?.(message);
      lastWarning = message;
    }
  };

  const subscription = serveCommands(nc, name, host.dispatcher);
  const outbox = startEventOutbox({
    nc,
    runner: name,
    dataDir: host.paths.root,
    source: {
      eventsSince: (seq, limit) => host.stores.events.eventsSince(seq, limit),
      latestSeq: () => host.stores.events.latestSeq(),
      subscribe: (listener) => host.stores.events.subscribe(() => listener()),
    },
    ...(options.onWarning !== undefined ? { onError: options.onWarning } : {}),
  });
  await nc.flush();
  await announce('online');
  const timer = setInterval(() => void announce('online'), heartbeatMs);

  let closed = false;
  return {
    outbox,
    stopCommands() {
      if (!subscription.isClosed()) subscription.unsubscribe();
    },
    async close(drainMs = 5000) {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (!subscription.isClosed()) subscription.unsubscribe();
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([outbox.drained(), new Promise((resolve) => (timeout = setTimeout(resolve, drainMs)))]);
      clearTimeout(timeout);
      await outbox.close();
      await announce('stopped');
    },
  };
}
