// The runner's event outbox against a real nats-server and a real store: every logged event
// reaches the stream once and in log order, also when the server restarts in the middle (the
// outbox retries the same event; message ids drop copies), and a restarted outbox continues from
// its saved cursor without republishing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { openStores, type Stores } from '../../../src/main/store/index.js';
import { startEventOutbox, type EventOutbox } from '../../../src/main/nats/event-outbox.js';
import { ensureEventStream } from '../../../src/main/nats/runner.js';
import { EVENT_STREAM, HEADER_RUNNER } from '../../../src/main/nats/subjects.js';
import { RunnerEventSchema } from '../../../src/main/nats/wire.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';
import { until } from './support.js';

let root: string;
let nats: NatsServer;
let stores: Stores;

function outboxFor(nc: NatsConnection, dataDir: string): EventOutbox {
  return startEventOutbox({
    nc,
    runner: 'box',
    dataDir,
    source: {
      eventsSince: (seq, limit) => stores.events.eventsSince(seq, limit),
      latestSeq: () => stores.events.latestSeq(),
      subscribe: (listener) => stores.events.subscribe(() => listener()),
    },
  });
}

async function streamLogSeqs(nc: NatsConnection): Promise<number[]> {
  const consumer = await jetstream(nc, { timeout: 60_000 }).consumers.get(EVENT_STREAM, {
    deliver_policy: DeliverPolicy.All,
  });
  const total = (await consumer.info()).num_pending;
  const seqs: number[] = [];
  for (let read = 0; read < total; read += 1) {
    const message = await consumer.next({ expires: 10_000 });
    if (message === null) break;
    if (message.headers?.get(HEADER_RUNNER) === 'box') seqs.push(RunnerEventSchema.parse(message.json()).logSeq);
  }
  return seqs;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-outbox-'));
  nats = await startNatsServer();
  stores = openStores(join(root, 'overseer.db'));
}, 120_000);
afterAll(async () => {
  stores?.close();
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the event outbox', () => {
  it(
    'publishes every event once, in order, across a nats-server restart and an outbox restart',
    { timeout: 300_000 },
    async () => {
      const goalId = randomUUID();
      const log = (i: number) => stores.events.appendDurable({ kind: 'driver_warning', goalId, message: `event ${i}` });
      // Events logged before the runner first connected stay local: the cursor starts at the latest.
      log(-1);
      const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
      await ensureEventStream(nc);
      let outbox = outboxFor(nc, root);
      for (let i = 0; i < 50; i += 1) log(i);
      await outbox.drained();
      expect(outbox.publishedSeq).toBe(stores.events.latestSeq());

      await nats.stop();
      // Logged while the server is down: they wait in the store.
      for (let i = 50; i < 100; i += 1) log(i);
      await nats.restart();
      for (let i = 100; i < 150; i += 1) log(i);
      await until(
        () => outbox.publishedSeq === stores.events.latestSeq(),
        'the outbox to catch up after the restart',
        120_000,
        50,
      );

      await outbox.close();
      for (let i = 150; i < 170; i += 1) log(i);
      outbox = outboxFor(nc, root);
      await outbox.drained();
      await outbox.close();

      const seqs = await streamLogSeqs(nc);
      const first = seqs[0] ?? 0;
      expect(seqs).toEqual(Array.from({ length: 170 }, (_, i) => first + i));
      expect(first).toBe(2);
      await nc.close();
    },
  );
});
