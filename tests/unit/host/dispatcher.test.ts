import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandDispatcher } from '../../../src/main/host/dispatcher.js';
import { HostError } from '../../../src/main/host/command-error.js';
import { createHost } from '../../../src/main/host/host.js';
import { commands } from '../../../src/shared/contract.js';

const ctx = { transport: 'local' as const };

describe('CommandDispatcher', () => {
  it('answers a valid command with its typed response', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', (request) => ({ nonce: request.nonce, receivedAt: '2026-01-01T00:00:00.000Z' }));
    expect(await dispatcher.invoke('ping', { nonce: 'abc' }, ctx)).toEqual({
      ok: true,
      value: { nonce: 'abc', receivedAt: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('refuses a malformed payload naming the channel and the field', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', () => {
      throw new Error('handler must not run for a malformed payload');
    });
    const result = await dispatcher.invoke('ping', { nonce: 42 }, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_payload');
    expect(result.error.channel).toBe('ping');
    expect(result.error.issues.map((issue) => issue.path)).toEqual(['nonce']);
    expect(result.error.message).toMatch(/"ping".*nonce/);
  });

  it('refuses unknown fields and unknown channels', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', (request) => ({ nonce: request.nonce, receivedAt: 'x' }));
    const extra = await dispatcher.invoke('ping', { nonce: 'a', admin: true }, ctx);
    expect(extra.ok).toBe(false);
    const unknown = await dispatcher.invoke('rm.rf', {}, ctx);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel', channel: 'rm.rf' } });
  });

  it('turns a handler failure into an error answer instead of throwing', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', () => {
      throw new HostError('conflict', 'busy');
    });
    dispatcher.register('app.info', () => {
      throw new Error('boom');
    });
    expect(await dispatcher.invoke('ping', { nonce: 'a' }, ctx)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'busy' } });
    expect(await dispatcher.invoke('app.info', {}, ctx)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('boom') } });
  });

  it('checks the response against the contract too', async () => {
    const dispatcher = new CommandDispatcher();
    // A handler returning the wrong shape (e.g. after a refactor) is caught, not sent.
    dispatcher.register('ping', () => JSON.parse('{"nonce": 1}'));
    expect(await dispatcher.invoke('ping', { nonce: 'a' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});

describe('createHost', () => {
  it('handles every command of the contract and keeps its data directory private', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overseer-host-'));
    const dataDir = join(dir, 'data');
    const host = await createHost({ mode: 'browser', dataDir, heartbeatMs: 0 });
    try {
      expect(host.dispatcher.missingHandlers()).toEqual([]);
      expect(Object.keys(commands).length).toBeGreaterThan(1);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      const info = await host.dispatcher.invoke('app.info', {}, ctx);
      expect(info).toMatchObject({ ok: true, value: { name: 'Overseer', mode: 'browser', dataDir } });
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
