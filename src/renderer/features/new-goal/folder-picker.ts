// New goal's "Browse…": the desktop shell's folder dialog when the preload exposes one (Electron),
// none in browser mode (the page cannot learn a local folder's path there). The dialog's answer
// crosses the IPC boundary, so it is parsed: a path, or null when nothing was chosen.
import { z } from 'zod';
import type { PreloadBridge } from '../../api/types';

const PickedFolder = z.string().min(1).nullable();

/** Opens the folder dialog; the chosen folder's path, or null. */
export type FolderPicker = () => Promise<string | null>;

/** The folder picker of this bridge, or null when there is none (browser mode, an older preload). */
export function folderPickerOf(bridge: Pick<PreloadBridge, 'pickFolder'> | undefined): FolderPicker | null {
  const pick = bridge?.pickFolder;
  if (typeof pick !== 'function') return null;
  return async () => {
    const parsed = PickedFolder.safeParse(await pick());
    return parsed.success ? parsed.data : null;
  };
}
