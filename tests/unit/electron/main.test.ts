import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronMock, recorded } from './electron-mock.js';
import { mainWindowOptions, RENDERER_CSP } from '../../../electron/window-options.js';

vi.mock('electron', () => electronMock());
const home = mkdtempSync(join(tmpdir(), 'overseer-shell-'));
process.env['OVERSEER_HOME'] = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('desktop window', () => {
  it('is isolated, sandboxed and without Node integration', () => {
    const prefs = mainWindowOptions('/x/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, preload: '/x/preload.cjs' });
  });

  it('has a strict Content-Security-Policy', () => {
    expect(RENDERER_CSP).toContain("default-src 'self'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(RENDERER_CSP).toContain("object-src 'none'");
  });

  it('blocks navigation and window.open, and serves the contract over IPC', async () => {
    await import('../../../electron/main.js');
    await vi.waitFor(() => expect(recorded.windows).toHaveLength(1));
    const window = recorded.windows[0]!;
    expect(window.options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });
    const prevent = vi.fn();
    window.handlers.get('will-navigate')?.({ preventDefault: prevent }, 'https://evil.example');
    expect(prevent).toHaveBeenCalled();
    expect(window.openHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });

    const handler = recorded.ipcHandlers.get('overseer:invoke');
    expect(await handler?.({}, 'ping', { nonce: 'z' })).toMatchObject({ ok: true, value: { nonce: 'z' } });
    expect(await handler?.({}, 'ping', { nonce: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_payload', channel: 'ping' } });
  });
});
