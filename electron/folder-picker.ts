// The desktop-only folder dialog behind New goal's "Browse…": one IPC handler that opens the
// system's folder chooser (over the window when there is one) and answers the chosen folder's
// path, or null when the user cancelled or the dialog failed. It takes nothing from the page.
import { dialog, ipcMain, type BrowserWindow, type OpenDialogOptions } from 'electron';
import { PICK_FOLDER_CHANNEL_NAME } from './channels.js';

const OPTIONS: OpenDialogOptions = {
  title: 'Repository folder',
  buttonLabel: 'Choose folder',
  properties: ['openDirectory'],
};

/** Opens the folder chooser; the chosen folder's path, or null if none was chosen. */
export async function pickFolder(parent: BrowserWindow | null): Promise<string | null> {
  try {
    const result =
      parent !== null && !parent.isDestroyed()
        ? await dialog.showOpenDialog(parent, OPTIONS)
        : await dialog.showOpenDialog(OPTIONS);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  } catch {
    return null;
  }
}

/** Serves the folder dialog over IPC; the returned function removes the handler. */
export function serveFolderPicker(parent: () => BrowserWindow | null): () => void {
  ipcMain.handle(PICK_FOLDER_CHANNEL_NAME, () => pickFolder(parent()));
  return () => ipcMain.removeHandler(PICK_FOLDER_CHANNEL_NAME);
}
