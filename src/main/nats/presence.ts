// Runner presence in the KV bucket `overseer_runners` (key = runner name): the runner rewrites its
// record every heartbeat and marks it `stopped` when it shuts down cleanly; a runner that died
// (SIGKILL, a lost machine) simply stops writing, and readers call it offline once its record is
// older than a few heartbeats (judged by the server's write time, so one clock decides).
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { PRESENCE_BUCKET } from './subjects.js';
import { RunnerPresenceSchema, type RunnerPresence } from './wire.js';

/** Missed heartbeats (plus a second of slack) before a runner counts as offline. */
const MISSED_BEATS = 3;

export interface RunnerStatus {
  presence: RunnerPresence;
  online: boolean;
  /** When the server stored the record last (ISO). */
  lastSeen: string;
}

/** The presence bucket, created when missing (a runner) or only bound (a reader). */
export async function presenceBucket(nc: NatsConnection, create: boolean): Promise<KV> {
  const kvm = new Kvm(nc);
  return create ? kvm.create(PRESENCE_BUCKET, { history: 1 }) : kvm.open(PRESENCE_BUCKET);
}

export function isOnline(presence: RunnerPresence, lastSeen: Date, now: number = Date.now()): boolean {
  return presence.state === 'online' && now - lastSeen.getTime() < presence.heartbeatMs * MISSED_BEATS + 1000;
}

/** One runner's status (null when it never announced itself). */
export async function readRunner(kv: KV, name: string): Promise<RunnerStatus | null> {
  const entry = await kv.get(name);
  if (entry === null || entry.operation !== 'PUT') return null;
  let json: unknown;
  try {
    json = entry.json();
  } catch {
    return null;
  }
  const parsed = RunnerPresenceSchema.safeParse(json);
  if (!parsed.success) return null;
  return { presence: parsed.data, online: isOnline(parsed.data, entry.created), lastSeen: entry.created.toISOString() };
}

/** The bucket's keys, or null when the listing did not finish within `ms` (it is then stopped). */
async function keysWithin(kv: KV, ms: number): Promise<string[] | null> {
  const iterator = await kv.keys();
  const names: string[] = [];
  const collected = (async () => {
    for await (const key of iterator) names.push(key);
    return names;
  })();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const result = await Promise.race([collected, timedOut]);
  clearTimeout(timer);
  if (result === null) iterator.stop();
  return result;
}

/**
 * Every runner that announced itself (records that do not parse are skipped), by name. A key
 * listing that stalls (seen once in a test on a loaded machine: `overseer runners` waited a minute)
 * is stopped and asked again once; a second stall is an error, never a hang.
 */
export async function listRunners(kv: KV): Promise<RunnerStatus[]> {
  const names = (await keysWithin(kv, 15_000)) ?? (await keysWithin(kv, 30_000));
  if (names === null) throw new Error('the NATS server did not list the runner presence bucket within 45 s');
  // A key rewritten while the listing runs (a heartbeat) can be listed twice: each runner once.
  const statuses = await Promise.all([...new Set(names)].map((name) => readRunner(kv, name)));
  return statuses
    .filter((status): status is RunnerStatus => status !== null)
    .sort((a, b) => a.presence.name.localeCompare(b.presence.name));
}

/** Opens the presence bucket as a reader, saying clearly when no runner ever announced itself. */
export async function openPresence(nc: NatsConnection): Promise<KV | null> {
  try {
    return await presenceBucket(nc, false);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not found/i.test(message)) return null;
    throw error;
  }
}
