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
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      preload: '/x/preload.cjs',
    });
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
    expect(window.options).toMatchObject({
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    const prevent = vi.fn();
    window.handlers.get('will-navigate')?.({ preventDefault: prevent }, 'https://evil.example');
    expect(prevent).toHaveBeenCalled();
    expect(window.openHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });

    const handler = recorded.ipcHandlers.get('overseer:invoke');
    expect(await handler?.({}, 'ping', { nonce: 'z' })).toMatchObject({ ok: true, value: { nonce: 'z' } });
    expect(await handler?.({}, 'ping', { nonce: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', channel: 'ping' },
    });
  });

  it('a second launch focuses the existing window; the inbox count is on the badge and the tray; icons from resources/', async () => {
    await vi.waitFor(() => expect(recorded.badgeCounts).toEqual([0]));
    recorded.windowCalls.length = 0;
    recorded.appHandlers.get('second-instance')?.();
    expect(recorded.windowCalls).toEqual(['restore', 'show', 'focus']);
    expect(recorded.trays).toHaveLength(process.platform === 'darwin' ? 0 : 1);
    if (process.platform !== 'darwin') expect(recorded.trays[0]?.icon).toMatch(/resources\/icons\/32x32\.png$/);
    expect(recorded.windows[0]?.options).toMatchObject({
      icon: expect.stringMatching(/resources\/icons\/512x512\.png$/),
    });
  });

  it('activate opens a window again once the last one closed, and focuses an open one', async () => {
    const first = recorded.windows[0]!;
    recorded.windowCalls.length = 0;
    recorded.appHandlers.get('activate')?.();
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windowCalls).toContain('focus');
    first.handlers.get('window:closed')?.();
    recorded.appHandlers.get('activate')?.();
    await vi.waitFor(() => expect(recorded.windows).toHaveLength(2));
  });
});
