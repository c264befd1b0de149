// The dispatcher's one interceptor (the console's remote-goal forwarding hooks in here): it sees
// the parsed request and may answer elsewhere or extend the local answer, whose result is checked
// against the contract like a handler's; and a host without NATS refuses the runner commands,
// saying how to get runners.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandDispatcher } from '../../../src/main/host/dispatcher.js';
import { HostError } from '../../../src/main/host/command-error.js';
import { createHost } from '../../../src/main/host/host.js';

const ctx = { transport: 'browser' as const };

function pingDispatcher(): CommandDispatcher {
  const dispatcher = new CommandDispatcher();
  dispatcher.register('ping', (request) => ({ nonce: request.nonce, receivedAt: 'here' }));
  return dispatcher;
}

describe('CommandDispatcher.intercept', () => {
  it('hands the parsed request to the interceptor, which may run the handler or answer itself', async () => {
    const dispatcher = pingDispatcher();
    const seen: unknown[] = [];
    dispatcher.intercept(async (channel, request, _context, runHere) => {
      seen.push([channel, request]);
      if ((request as { nonce: string }).nonce === 'remote') return { nonce: 'remote', receivedAt: 'elsewhere' };
      return runHere();
    });
    expect(await dispatcher.invoke('ping', { nonce: 'local' }, ctx)).toEqual({
      ok: true,
      value: { nonce: 'local', receivedAt: 'here' },
    });
    expect(await dispatcher.invoke('ping', { nonce: 'remote' }, ctx)).toEqual({
      ok: true,
      value: { nonce: 'remote', receivedAt: 'elsewhere' },
    });
    expect(seen).toEqual([
      ['ping', { nonce: 'local' }],
      ['ping', { nonce: 'remote' }],
    ]);
    // A malformed request never reaches it.
    expect(await dispatcher.invoke('ping', { nonce: 5 }, ctx)).toMatchObject({ ok: false });
    expect(seen).toHaveLength(2);
  });

  it("checks the interceptor's answer against the contract and passes its errors on", async () => {
    const dispatcher = pingDispatcher();
    dispatcher.intercept(async (_channel, request) => {
      if ((request as { nonce: string }).nonce === 'fail') throw new HostError('unavailable', 'runner x is offline');
      return { nonce: 7 };
    });
    expect(await dispatcher.invoke('ping', { nonce: 'bad' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('invalid response') },
    });
    expect(await dispatcher.invoke('ping', { nonce: 'fail' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: 'runner x is offline', channel: 'ping' },
    });
    dispatcher.intercept(null);
    expect(await dispatcher.invoke('ping', { nonce: 'plain' }, ctx)).toMatchObject({ ok: true });
  });
});

describe('runner commands on a host without NATS', () => {
  it('lists no runners and refuses to check a path or start a goal on one, saying how', async () => {
    const root = mkdtempSync(join(tmpdir(), 'overseer-no-nats-'));
    const host = await createHost({ mode: 'browser', dataDir: root, heartbeatMs: 0, reattach: false });
    try {
      expect(await host.dispatcher.invoke('runners.list', {}, ctx)).toEqual({
        ok: true,
        value: { natsUrl: null, runners: [], problem: null },
      });
      for (const [channel, payload] of [
        ['runner.repo.validate', { runner: 'box', path: root }],
        ['runner.goal.create', { runner: 'box', goal: { description: 'x', repoPath: root } }],
      ] as const) {
        expect(await host.dispatcher.invoke(channel, payload, ctx)).toMatchObject({
          ok: false,
          error: { code: 'failed_precondition', message: expect.stringContaining('overseer serve --nats URL') },
        });
      }
    } finally {
      await host.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
