// Access control and static files never throw, whatever the request carries (issue 9, findings 1-3).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { allowedHosts, checkHostAndOrigin, checkSocketToken, requestPath } from '../../../src/main/server/security.js';
import { readStatic } from '../../../src/main/server/static-files.js';
import { socketProtocols, tokenFromProtocols } from '../../../src/shared/socket-auth.js';

const hosts = allowedHosts('127.0.0.1', 4000);
const request = (headers: Record<string, string>, url = '/'): IncomingMessage =>
  ({ headers, url }) as unknown as IncomingMessage;
const TOKEN = 'A'.repeat(43);

describe('browser-mode access checks', () => {
  it('reads any request target without throwing; only origin-form paths are paths', () => {
    for (const target of [
      '//[',
      '//[::1',
      'http://[',
      '*',
      '',
      '/%',
      '/%c0%ae%c0%ae/',
      '/\u0000',
      `/${'x'.repeat(100_000)}`,
      '//evil.example/x',
      '/ws?token=%',
    ]) {
      expect(() => requestPath(target)).not.toThrow();
    }
    expect(requestPath('//[')).toBeNull();
    expect(requestPath('*')).toBeNull();
    expect(requestPath(undefined)).toBeNull();
    expect(requestPath('/ws?x=1')).toBe('/ws');
    expect(requestPath('/a/../b')).toBe('/b');
  });

  it('wants our Host, and an Origin (when sent) that is exactly this server', () => {
    expect(checkHostAndOrigin(request({ host: '127.0.0.1:4000' }), hosts).ok).toBe(true);
    expect(checkHostAndOrigin(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }), hosts).ok).toBe(
      true,
    );
    expect(checkHostAndOrigin(request({ host: 'localhost:4000', origin: 'http://localhost:4000' }), hosts).ok).toBe(
      true,
    );
    for (const origin of [
      'http://127.0.0.1:4001',
      'http://localhost:4000',
      'http://127.0.0.1:4000/',
      'https://127.0.0.1:4000',
      'null',
      '',
      'http://[',
      'http://127.0.0.1:4000.evil',
    ]) {
      const verdict = checkHostAndOrigin(request({ host: '127.0.0.1:4000', origin }), hosts);
      expect(verdict, origin).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkHostAndOrigin(request({ host: 'evil.example:4000' }), hosts)).toMatchObject({ ok: false, status: 403 });
    expect(checkHostAndOrigin(request({}), hosts)).toMatchObject({ ok: false, status: 403 });
  });

  it('takes the socket token from the subprotocols only, never a cookie or the query', () => {
    const offered = socketProtocols(TOKEN).join(', ');
    expect(checkSocketToken(request({ 'sec-websocket-protocol': offered }), TOKEN).ok).toBe(true);
    expect(checkSocketToken(request({ cookie: `overseer_token=${TOKEN}` }), TOKEN)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkSocketToken(request({}, `/ws?token=${TOKEN}`), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(checkSocketToken(request({ 'sec-websocket-protocol': 'overseer.v1, overseer.token.wrong' }), TOKEN).ok).toBe(
      false,
    );
    // Two tokens offered is ambiguous: refused.
    expect(tokenFromProtocols(`overseer.token.${TOKEN}, overseer.token.other`)).toBeNull();
    expect(() => socketProtocols('has space')).toThrow(/base64url/);
  });
});

describe('readStatic', () => {
  it('answers malformed percent-encoding as a bad request, never throws', () => {
    const root = mkdtempSync(join(tmpdir(), 'overseer-static-'));
    try {
      writeFileSync(join(root, 'index.html'), '<!doctype html>');
      for (const path of ['/%', '/%c0%ae%c0%ae/etc/passwd', '/%E0%A4%A', '/a%zz', '/%00', '/x%00.js']) {
        expect(() => readStatic(root, path), path).not.toThrow();
        expect(readStatic(root, path).kind, path).toBe('bad-request');
      }
      expect(readStatic(root, '/').kind).toBe('file');
      const escaped = readStatic(root, '/%2e%2e/%2e%2e/etc/passwd');
      expect(escaped.kind === 'file' ? escaped.file.body.toString() : '').not.toContain('root:');
      expect(readStatic(root, '/missing.js').kind).toBe('not-found');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
