// The desktop shell: one window hosting the renderer, the host from src/main behind IPC, a
// strict CSP, navigation and window.open blocked, and notifications for permission prompts.
import { app, BrowserWindow, dialog, Notification, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { createHost } from '../src/main/host/host.js';
import { serveCliEndpoint } from '../src/main/server/cli-endpoint.js';
import { serveIpc } from './ipc.js';
import { mainWindowOptions, RENDERER_CSP } from './window-options.js';
import { buildMenu } from './menu.js';

let mainWindow: BrowserWindow | null = null;

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  // The page asks for nothing: notifications for permission prompts are shown from here.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const host = await createHost({ mode: 'electron' });
  mainWindow = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/preload.cjs')));
  lockDown(mainWindow.webContents);
  const stopIpc = serveIpc(host, () => mainWindow?.webContents ?? null);
  // The `overseer` CLI reaches this host through a loopback WebSocket named in the data directory.
  const cliEndpoint = await serveCliEndpoint(host, 'electron');
  buildMenu();

  host.events.subscribe((event) => {
    if (event.channel !== 'goal.event' || event.payload.event.kind !== 'permission_requested') return;
    if (mainWindow?.isFocused() === true || !Notification.isSupported()) return;
    const { request } = event.payload.event;
    const notification = new Notification({ title: `Permission needed: ${request.toolName}`, body: 'A goal waits for your decision in the inbox.' });
    notification.on('click', () => {
      mainWindow?.show();
      mainWindow?.focus();
    });
    notification.show();
  });

  mainWindow.once('ready-to-show', () => mainWindow?.show());
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl !== undefined) await mainWindow.loadURL(devUrl);
  else await mainWindow.loadFile(join(import.meta.dirname, '../renderer/index.html'));

  app.on('window-all-closed', () => {
    stopIpc();
    void cliEndpoint.close().then(() => host.close()).finally(() => app.quit());
  });
}

start().catch((error: unknown) => {
  // e.g. another Overseer owns the data directory: say so instead of leaving no window at all.
  dialog.showErrorBox('Overseer could not start', error instanceof Error ? error.message : String(error));
  app.quit();
});
