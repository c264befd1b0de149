// The runner's command transport with a real nats-server and a real host (no goal runs): answers
// come from the host's dispatcher, every bad request gets an error reply (never a crash or a
// silence), and what a runner does not offer over NATS is refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { serveCommands } from '../../../src/main/nats/command-server.js';
import { commandSubject } from '../../../src/main/nats/subjects.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';

let root: string;
let nats: NatsServer;
let host: Host;
let nc: NatsConnection;
let subscription: Subscription;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-commands-'));
  nats = await startNatsServer();
  host = await createHost({
    mode: 'cli',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    reattach: false,
    claudeBinary: '/nonexistent/claude',
  });
  nc = await connect({ servers: nats.url });
  subscription = serveCommands(nc, 'cmds', host.dispatcher);
  await nc.flush();
}, 120_000);
afterAll(async () => {
  subscription?.unsubscribe();
  await nc?.close();
  await host?.close();
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
});

async function ask(channel: string, body: string): Promise<unknown> {
  return (await nc.request(commandSubject('cmds', channel), body, { timeout: 30_000 })).json();
}

describe('the command transport', () => {
  it('runs commands through the dispatcher', async () => {
    expect(await ask('ping', JSON.stringify({ nonce: 'n1' }))).toMatchObject({ ok: true, value: { nonce: 'n1' } });
    expect(await ask('goals.list', '')).toEqual({ ok: true, value: { goals: [], total: 0 } });
  });

  it('answers every bad request with an error and keeps serving', async () => {
    expect(await ask('ping', '{not json')).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', message: 'the request body is not JSON' },
    });
    expect(await ask('ping', JSON.stringify({ nonce: 7 }))).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', channel: 'ping' },
    });
    expect(await ask('no.such.channel', '{}')).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await ask('goal.get', JSON.stringify({ goalId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await ask('ping', JSON.stringify({ nonce: 'still here' }))).toMatchObject({ ok: true });
  });

  it('refuses what a runner does not offer over NATS', async () => {
    expect(await ask('app.info', '{}')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: expect.stringContaining('data directory') },
    });
    expect(await ask('goal.open', '{}')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
