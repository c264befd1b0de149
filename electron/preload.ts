// The preload: exposes exactly two functions to the renderer, `invoke` and `subscribe`, over
// Electron IPC. Nothing else of Node or Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL_NAME as EVENT_CHANNEL, INVOKE_CHANNEL_NAME as INVOKE_CHANNEL } from './channels.js';

const bridge = {
  invoke(channel: string, payload: unknown): Promise<unknown> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload);
  },
  subscribe(listener: (event: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, hostEvent: unknown): void => listener(hostEvent);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('overseer', bridge);
