import { describe, expect, it, vi } from 'vitest';
import { electronMock, recorded } from './electron-mock.js';

vi.mock('electron', () => electronMock());

describe('preload', () => {
  it('exposes exactly invoke, subscribe and pickFolder, and nothing else', async () => {
    await import('../../../electron/preload.js');
    expect(recorded.exposed).toHaveLength(1);
    const [{ key, api }] = recorded.exposed as [{ key: string; api: Record<string, unknown> }];
    expect(key).toBe('overseer');
    expect(Object.keys(api).sort()).toEqual(['invoke', 'pickFolder', 'subscribe']);
    expect(typeof api['invoke']).toBe('function');
    expect(typeof api['subscribe']).toBe('function');
  });

  it('invoke goes through one IPC channel; subscribe adds and removes one listener', async () => {
    await import('../../../electron/preload.js');
    const api = recorded.exposed[0]?.api as {
      invoke: (c: string, p: unknown) => Promise<unknown>;
      subscribe: (l: (e: unknown) => void) => () => void;
    };
    await api.invoke('ping', { nonce: 'x' });
    expect(recorded.ipcRendererCalls.at(-1)).toEqual(['overseer:invoke', 'ping', { nonce: 'x' }]);
    const seen: unknown[] = [];
    const stop = api.subscribe((event) => seen.push(event));
    recorded.rendererListeners.get('overseer:event')?.({}, { seq: 1 });
    expect(seen).toEqual([{ seq: 1 }]);
    stop();
    expect(recorded.rendererListeners.has('overseer:event')).toBe(false);
  });

  it('pickFolder asks the shell over its own channel and passes on only a path or null', async () => {
    await import('../../../electron/preload.js');
    const api = recorded.exposed[0]?.api as { pickFolder: () => Promise<string | null> };
    // The mocked ipcRenderer answers { ok: true }: not a path, so null.
    await expect(api.pickFolder()).resolves.toBeNull();
    expect(recorded.ipcRendererCalls.at(-1)).toEqual(['overseer:pick-folder']);
  });
});
