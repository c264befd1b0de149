import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandDispatcher } from '../../../src/main/host/dispatcher.js';
import { HostError } from '../../../src/main/host/command-error.js';
import { createHost } from '../../../src/main/host/host.js';
import { commands } from '../../../src/shared/contract.js';
import { MAX_ERROR_ISSUES, MAX_PAYLOAD_VALUES } from '../../../src/shared/wire.js';

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
    expect(await dispatcher.invoke('ping', { nonce: 'a' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'busy' },
    });
    expect(await dispatcher.invoke('app.info', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('boom') },
    });
  });

  it('checks the response against the contract too: a malformed answer is a host bug (internal)', async () => {
    const dispatcher = new CommandDispatcher();
    // A handler returning the wrong shape (e.g. after a refactor) is caught, not sent; the client
    // sent a valid payload, so it is not told its payload was invalid.
    dispatcher.register('ping', () => JSON.parse('{"nonce": 1}'));
    expect(await dispatcher.invoke('ping', { nonce: 'a' }, ctx)).toMatchObject({
      ok: false,
      error: {
        code: 'internal',
        channel: 'ping',
        message: expect.stringContaining('invalid response for "ping"'),
        issues: expect.arrayContaining([expect.objectContaining({ path: 'nonce' })]),
      },
    });
  });
});

describe('CommandDispatcher error size', () => {
  it('caps a validation error: a 200 KB bad goal.create gets a small answer naming the first issues', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('goal.create', () => {
      throw new Error('handler must not run for a malformed payload');
    });
    const payload = { description: 'x', repoPath: '/x', acceptance: Array.from({ length: 100_000 }, () => 1) };
    expect(JSON.stringify(payload).length).toBeGreaterThan(200_000);
    const result = await dispatcher.invoke('goal.create', payload, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_payload');
    expect(JSON.stringify(result).length).toBeLessThan(4_000);
    // Refused before validation: too many values for any command.
    expect(result.error.message).toContain(`more than ${MAX_PAYLOAD_VALUES} values`);

    // Under the value limit, the issues themselves are capped.
    const smaller = { description: 'x', repoPath: '/x', acceptance: Array.from({ length: 5_000 }, () => 1) };
    const capped = await dispatcher.invoke('goal.create', smaller, ctx);
    if (capped.ok) throw new Error('a malformed payload was accepted');
    expect(JSON.stringify(capped).length).toBeLessThan(16_000);
    expect(capped.error.issues.length).toBe(MAX_ERROR_ISSUES + 1);
    expect(capped.error.issues[0]?.path).toBe('acceptance.0');
    expect(capped.error.issues.at(-1)).toEqual({
      path: '(more)',
      message: `${5_000 - MAX_ERROR_ISSUES} more issues not shown`,
    });
  });

  it('refuses a payload nested too deep before validating it', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', (request) => ({ nonce: request.nonce, receivedAt: 'x' }));
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    const result = await dispatcher.invoke('ping', { nonce: deep }, ctx);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', message: expect.stringContaining('nested deeper') },
    });
  });

  it('caps long messages, paths and channel names, whatever produced them', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', () => {
      throw new HostError('conflict', 'x'.repeat(1_000_000), [
        { path: 'p'.repeat(10_000), message: 'm'.repeat(10_000) },
      ]);
    });
    const thrown = await dispatcher.invoke('ping', { nonce: 'a' }, ctx);
    expect(JSON.stringify(thrown).length).toBeLessThan(4_000);
    const unknown = await dispatcher.invoke('c'.repeat(1_000_000), {}, ctx);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(JSON.stringify(unknown).length).toBeLessThan(4_000);
    const longKey = await dispatcher.invoke('ping', { nonce: 'a', ['k'.repeat(500_000)]: 1 }, ctx);
    expect(longKey).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(JSON.stringify(longKey).length).toBeLessThan(4_000);
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
