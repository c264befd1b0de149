// The desktop folder dialog behind New goal's "Browse…", against the mocked electron: a directory-only
// chooser over the window, answering the chosen path, or null on cancel or failure.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { electronMock, mockOptions, recorded } from './electron-mock.js';

vi.mock('electron', () => electronMock());

const { pickFolder, serveFolderPicker } = await import('../../../electron/folder-picker.js');

afterEach(() => {
  mockOptions.openDialog = { canceled: true, filePaths: [] };
  recorded.openDialogs.length = 0;
});

describe('folder picker', () => {
  it('opens a directory-only dialog and answers the chosen folder', async () => {
    mockOptions.openDialog = { canceled: false, filePaths: ['/home/me/src/app'] };
    await expect(pickFolder(null)).resolves.toBe('/home/me/src/app');
    expect(recorded.openDialogs).toHaveLength(1);
    const [options] = recorded.openDialogs[0] as [{ properties: string[] }];
    expect(options.properties).toEqual(['openDirectory']);
  });

  it('answers null when the user cancels, or when the dialog fails', async () => {
    mockOptions.openDialog = { canceled: true, filePaths: [] };
    await expect(pickFolder(null)).resolves.toBeNull();
    mockOptions.openDialog = new Error('no display');
    await expect(pickFolder(null)).resolves.toBeNull();
  });

  it('opens over the window when there is one', async () => {
    const window = { isDestroyed: () => false };
    mockOptions.openDialog = { canceled: false, filePaths: ['/srv/repo'] };
    await expect(pickFolder(window as never)).resolves.toBe('/srv/repo');
    expect(recorded.openDialogs[0]?.[0]).toBe(window);
  });

  it('is served on its own IPC channel, and removed again', async () => {
    const stop = serveFolderPicker(() => null);
    const handler = recorded.ipcHandlers.get('overseer:pick-folder');
    expect(handler).toBeDefined();
    mockOptions.openDialog = { canceled: false, filePaths: ['/work/repo'] };
    await expect(handler?.({})).resolves.toBe('/work/repo');
    stop();
    expect(recorded.ipcHandlers.has('overseer:pick-folder')).toBe(false);
  });
});
