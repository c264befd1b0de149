// The runner's event outbox: every event its store logs is published to the JetStream stream, in
// log order, one at a time, each acknowledged by the server before the next. The store is the
// outbox: the publisher reads what follows its cursor, so nothing is held only in memory. While
// NATS is unreachable (a server restart) it retries the same event; a message id per event lets
// the server drop a copy it already stored. The cursor is saved in the data directory, so a
// restarted runner continues where it stopped.
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { StoredEvent } from '../store/index.js';
import { eventSubject, HEADER_GOAL, HEADER_LOG_SEQ, HEADER_RUNNER } from './subjects.js';
import type { RunnerEvent } from './wire.js';

export interface OutboxSource {
  eventsSince(seq: number, limit: number): StoredEvent[];
  latestSeq(): number;
  subscribe(listener: () => void): () => void;
}

const CursorSchema = z.object({ logId: z.string().min(1), publishedSeq: z.number().int().nonnegative() });
type Cursor = z.infer<typeof CursorSchema>;

const CURSOR_FILE = 'nats-outbox.json';
const BATCH = 256;
const SAVE_EVERY_MS = 500;

/** The cursor of a data directory: a new directory starts at its latest event (history stays local). */
function loadCursor(dataDir: string, source: OutboxSource): Cursor {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(readFileSync(join(dataDir, CURSOR_FILE), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // No cursor yet (or unreadable): start fresh below.
  }
  return { logId: randomUUID(), publishedSeq: source.latestSeq() };
}

function saveCursor(dataDir: string, cursor: Cursor): void {
  const file = join(dataDir, CURSOR_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(cursor), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export interface EventOutbox {
  /** Highest log seq the server acknowledged. */
  readonly publishedSeq: number;
  /** Resolves once every event logged so far is acknowledged (tests, shutdown). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

export function startEventOutbox(options: {
  nc: NatsConnection;
  runner: string;
  dataDir: string;
  source: OutboxSource;
  onError?: (message: string) => void;
}): EventOutbox {
  const { nc, runner, dataDir, source } = options;
  const js: JetStreamClient = jetstream(nc);
  const cursor = loadCursor(dataDir, source);
  saveCursor(dataDir, cursor);
  let closed = false;
  let wake: (() => void) | null = null;
  let lastSaved = Date.now();
  let drainWaiters: (() => void)[] = [];
  let lastError: string | null = null;

  const unsubscribe = source.subscribe(() => {
    wake?.();
  });

  async function publishOne(stored: StoredEvent): Promise<void> {
    const body: RunnerEvent = { runner, logSeq: stored.seq, at: stored.at, event: stored.event };
    const h = headers();
    h.set(HEADER_RUNNER, runner);
    h.set(HEADER_GOAL, stored.event.goalId);
    h.set(HEADER_LOG_SEQ, String(stored.seq));
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
      if (closed) return;
      try {
        await js.publish(eventSubject(runner, stored.event.kind), JSON.stringify(body), {
          msgID: `${cursor.logId}:${stored.seq}`,
          headers: h,
          timeout: 5000,
        });
        if (lastError !== null) lastError = null;
        return;
      } catch (error) {
        const message = `publishing event ${stored.seq} to NATS failed (retrying): ${error instanceof Error ? error.message : String(error)}`;
        if (message !== lastError) options.onError?.(message);
        lastError = message;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async function loop(): Promise<void> {
    while (!closed) {
      const batch = source.eventsSince(cursor.publishedSeq, BATCH);
      if (batch.length === 0) {
        const waiters = drainWaiters;
        drainWaiters = [];
        for (const resolve of waiters) resolve();
        await new Promise<void>((resolve) => {
          wake = resolve;
          // A safety net: a missed wake-up costs at most a second.
          setTimeout(resolve, 1000).unref();
        });
        wake = null;
        continue;
      }
      for (const stored of batch) {
        await publishOne(stored);
        if (closed) return;
        cursor.publishedSeq = stored.seq;
      }
      if (Date.now() - lastSaved > SAVE_EVERY_MS) {
        saveCursor(dataDir, cursor);
        lastSaved = Date.now();
      }
    }
  }
  const running = loop().catch((error: unknown) =>
    options.onError?.(`the event outbox stopped: ${error instanceof Error ? error.message : String(error)}`),
  );

  return {
    get publishedSeq() {
      return cursor.publishedSeq;
    },
    drained() {
      if (source.latestSeq() <= cursor.publishedSeq) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drainWaiters.push(resolve);
        wake?.();
      });
    },
    async close() {
      closed = true;
      unsubscribe();
      wake?.();
      await running;
      saveCursor(dataDir, cursor);
      for (const resolve of drainWaiters) resolve();
    },
  };
}
