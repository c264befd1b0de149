// A recording mock of the `electron` module for shell unit tests (no Electron binary here).
import { vi } from 'vitest';

export interface Recorded {
  exposed: { key: string; api: Record<string, unknown> }[];
  windows: {
    options: unknown;
    handlers: Map<string, (...args: unknown[]) => void>;
    openHandler: ((d: { url: string }) => unknown) | null;
  }[];
  ipcHandlers: Map<string, (...args: unknown[]) => unknown>;
  ipcRendererCalls: unknown[][];
  rendererListeners: Map<string, (...args: unknown[]) => void>;
  /** app.on handlers by event name. */
  appHandlers: Map<string, (...args: unknown[]) => void>;
  /** What each window was asked to do (show, focus, restore). */
  windowCalls: string[];
  badgeCounts: number[];
  trays: { icon: string; tooltips: string[] }[];
  quits: number;
  /** The arguments of each dialog.showOpenDialog call. */
  openDialogs: unknown[][];
}

/** What requestSingleInstanceLock answers (set before importing the shell), and what the folder
 * dialog answers (or throws, when `openDialog` is an Error). */
export const mockOptions: {
  singleInstanceLock: boolean;
  openDialog: { canceled: boolean; filePaths: string[] } | Error;
} = { singleInstanceLock: true, openDialog: { canceled: true, filePaths: [] } };

export const recorded: Recorded = {
  exposed: [],
  windows: [],
  ipcHandlers: new Map(),
  ipcRendererCalls: [],
  rendererListeners: new Map(),
  appHandlers: new Map(),
  windowCalls: [],
  badgeCounts: [],
  trays: [],
  quits: 0,
  openDialogs: [],
};

export function electronMock(): Record<string, unknown> {
  class BrowserWindow {
    webContents: Record<string, unknown>;
    constructor(options: unknown) {
      const entry = {
        options,
        handlers: new Map<string, (...args: unknown[]) => void>(),
        openHandler: null as Recorded['windows'][number]['openHandler'],
      };
      recorded.windows.push(entry);
      this.webContents = {
        on: (name: string, handler: (...args: unknown[]) => void) => entry.handlers.set(name, handler),
        setWindowOpenHandler: (handler: (d: { url: string }) => unknown) => (entry.openHandler = handler),
        send: vi.fn(),
        isDestroyed: () => false,
      };
    }
    on(name: string, handler: (...args: unknown[]) => void): void {
      recorded.windows.at(-1)?.handlers.set(`window:${name}`, handler);
    }
    once(): void {}
    show(): void {
      recorded.windowCalls.push('show');
    }
    focus(): void {
      recorded.windowCalls.push('focus');
    }
    restore(): void {
      recorded.windowCalls.push('restore');
    }
    isMinimized(): boolean {
      return true;
    }
    isDestroyed(): boolean {
      return false;
    }
    isFocused(): boolean {
      return true;
    }
    loadFile = vi.fn(async () => undefined);
    loadURL = vi.fn(async () => undefined);
  }
  return {
    app: {
      whenReady: async () => undefined,
      on: (name: string, handler: (...args: unknown[]) => void) => recorded.appHandlers.set(name, handler),
      quit: () => {
        recorded.quits += 1;
      },
      exit: vi.fn(),
      requestSingleInstanceLock: () => mockOptions.singleInstanceLock,
      setBadgeCount: (count: number) => {
        recorded.badgeCounts.push(count);
        return true;
      },
    },
    Tray: class {
      private readonly entry: { icon: string; tooltips: string[] };
      constructor(icon: string) {
        this.entry = { icon, tooltips: [] };
        recorded.trays.push(this.entry);
      }
      setToolTip(text: string): void {
        this.entry.tooltips.push(text);
      }
      on(): void {}
    },
    BrowserWindow,
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn(() => ({})) },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
    session: { defaultSession: { webRequest: { onHeadersReceived: vi.fn() }, setPermissionRequestHandler: vi.fn() } },
    shell: { openExternal: vi.fn() },
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: async (...args: unknown[]) => {
        recorded.openDialogs.push(args);
        if (mockOptions.openDialog instanceof Error) throw mockOptions.openDialog;
        return mockOptions.openDialog;
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => recorded.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => recorded.ipcHandlers.delete(channel),
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => recorded.exposed.push({ key, api }),
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        recorded.ipcRendererCalls.push(args);
        return Promise.resolve({ ok: true });
      },
      on: (channel: string, listener: (...args: unknown[]) => void) =>
        recorded.rendererListeners.set(channel, listener),
      removeListener: (channel: string) => recorded.rendererListeners.delete(channel),
    },
  };
}
