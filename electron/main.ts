// The desktop shell: one window hosting the renderer, the host from src/main behind IPC, a
// strict CSP, navigation and window.open blocked, and notifications for permission prompts. One
// instance per user (a second launch focuses the first window); on macOS the app stays alive with
// its window closed and `activate` (a click on the dock icon) brings a window back; the dock or tray
// badge shows how many prompts wait.
import { app, BrowserWindow, dialog, Notification, session, shell, Tray, type WebContents } from 'electron';
import { join } from 'node:path';
import { createHost, type Host } from '../src/main/host/index.js';
import { serveCliEndpoint } from '../src/main/server/index.js';
import { appIconPath } from './app-icon.js';
import { changesInbox, InboxBadge, inboxTooltip } from './inbox-badge.js';
import { serveFolderPicker } from './folder-picker.js';
import { serveIpc } from './ipc.js';
import { mainWindowOptions, RENDERER_CSP } from './window-options.js';
import { buildMenu } from './menu.js';
import { claimSingleInstance } from './single-instance.js';

const shellDir = import.meta.dirname;
let mainWindow: BrowserWindow | null = null;

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Shows and focuses the window (restoring it when minimised). */
function focusWindow(): void {
  if (mainWindow === null || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function openWindow(): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    ...mainWindowOptions(join(shellDir, '../preload/preload.cjs')),
    icon: appIconPath(shellDir, 512),
  });
  mainWindow = window;
  lockDown(window.webContents);
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.once('ready-to-show', () => window.show());
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl !== undefined) await window.loadURL(devUrl);
  else await window.loadFile(join(shellDir, '../renderer/index.html'));
  return window;
}

function notifyPermissions(host: Host): void {
  host.events.subscribe((event) => {
    if (event.channel !== 'goal.event' || event.payload.event.kind !== 'permission_requested') return;
    if (mainWindow?.isFocused() === true || !Notification.isSupported()) return;
    const { request } = event.payload.event;
    const notification = new Notification({
      title: `Permission needed: ${request.toolName}`,
      body: 'A goal waits for your decision in the inbox.',
      icon: appIconPath(shellDir, 256),
    });
    notification.on('click', focusWindow);
    notification.show();
  });
}

/** The inbox count on the dock/launcher badge, and a tray icon (not on macOS, where the dock has it). */
function showInboxCount(host: Host): void {
  let tray: Tray | null = null;
  if (process.platform !== 'darwin') {
    try {
      tray = new Tray(appIconPath(shellDir, 32));
      tray.setToolTip(inboxTooltip(0));
      tray.on('click', focusWindow);
    } catch {
      tray = null; // no system tray on this desktop: the badge and the window title carry on alone
    }
  }
  const badge = new InboxBadge(
    { setBadgeCount: (count) => app.setBadgeCount(count), tray },
    () => host.permissions.listPending().length,
  );
  badge.refresh();
  host.events.subscribe((event) => {
    if (changesInbox(event)) badge.refresh();
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
  const stopIpc = serveIpc(host, () => mainWindow?.webContents ?? null);
  const stopFolderPicker = serveFolderPicker(() => mainWindow);
  // The `overseer` CLI reaches this host through a loopback WebSocket named in the data directory.
  const cliEndpoint = await serveCliEndpoint(host, 'electron');
  buildMenu();
  notifyPermissions(host);
  showInboxCount(host);

  // Closing the host once, then quitting for real.
  let closing: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      stopIpc();
      stopFolderPicker();
      try {
        await cliEndpoint.close();
      } finally {
        await host.close();
      }
    })().finally(() => app.exit(0));
    return closing;
  };
  // macOS keeps an app without windows alive (goals run on); elsewhere the last window ends it.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') void shutdown();
  });
  app.on('before-quit', (event) => {
    event.preventDefault();
    void shutdown();
  });
  app.on('activate', () => {
    if (mainWindow === null || mainWindow.isDestroyed()) void openWindow();
    else focusWindow();
  });
  await openWindow();
}

if (claimSingleInstance(app, focusWindow)) {
  start().catch((error: unknown) => {
    // e.g. another Overseer owns the data directory, or the database module was not built for this
    // Electron: say so instead of leaving no window at all.
    dialog.showErrorBox('Overseer could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });
}
