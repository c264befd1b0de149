// A second launch of the desktop app: it finds the lock held, quits at once and starts no host and
// no window; the first instance (see main.test.ts) focuses its window.
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance } from '../../../electron/single-instance.js';
import { electronMock, mockOptions, recorded } from './electron-mock.js';

vi.mock('electron', () => electronMock());

describe('single instance', () => {
  it('a second instance quits without opening a window or a host', async () => {
    mockOptions.singleInstanceLock = false;
    await import('../../../electron/main.js');
    expect(recorded.quits).toBe(1);
    expect(recorded.windows).toEqual([]);
    expect(recorded.ipcHandlers.size).toBe(0);
    expect(recorded.appHandlers.has('second-instance')).toBe(false);
  });

  it('the first instance keeps the lock and focuses on a second launch', () => {
    const handlers = new Map<string, () => void>();
    const quit = vi.fn();
    const focus = vi.fn();
    const app = {
      requestSingleInstanceLock: () => true,
      quit,
      on: (name: string, handler: () => void) => handlers.set(name, handler),
    };
    expect(claimSingleInstance(app as never, focus)).toBe(true);
    expect(quit).not.toHaveBeenCalled();
    handlers.get('second-instance')?.();
    expect(focus).toHaveBeenCalledTimes(1);
  });
});
