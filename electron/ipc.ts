// Transport 1: the contract over Electron IPC. Commands through ipcMain.handle (validated by the
// host's dispatcher, which never throws), events to the window with webContents.send.
import { ipcMain, type WebContents } from 'electron';
import type { Host } from '../src/main/host/index.js';
import { INVOKE_CHANNEL_NAME, EVENT_CHANNEL_NAME } from './channels.js';

export function serveIpc(host: Host, target: () => WebContents | null): () => void {
  ipcMain.handle(INVOKE_CHANNEL_NAME, async (_event, channel: unknown, payload: unknown) => {
    if (typeof channel !== 'string') {
      return {
        ok: false,
        error: { code: 'invalid_payload', message: 'channel must be a string', channel: null, issues: [] },
      };
    }
    return host.dispatcher.invoke(channel, payload, { transport: 'electron' });
  });
  const unsubscribe = host.events.subscribe((event) => {
    const contents = target();
    if (contents !== null && !contents.isDestroyed()) contents.send(EVENT_CHANNEL_NAME, event);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL_NAME);
  };
}
