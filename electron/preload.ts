// The preload: exposes exactly three functions to the renderer over Electron IPC: `invoke` and
// `subscribe` (the contract), and `pickFolder` (the desktop's folder dialog, answering a path or
// null). Nothing else of Node or Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNEL_NAME as EVENT_CHANNEL,
  INVOKE_CHANNEL_NAME as INVOKE_CHANNEL,
  PICK_FOLDER_CHANNEL_NAME as PICK_FOLDER_CHANNEL,
} from './channels.js';

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
  async pickFolder(): Promise<string | null> {
    const answer: unknown = await ipcRenderer.invoke(PICK_FOLDER_CHANNEL);
    return typeof answer === 'string' ? answer : null;
  },
};

contextBridge.exposeInMainWorld('overseer', bridge);
