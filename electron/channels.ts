// The two IPC channel names shared by the preload and the main process.
export const INVOKE_CHANNEL_NAME = 'overseer:invoke';
export const EVENT_CHANNEL_NAME = 'overseer:event';
/** The desktop-only folder dialog (New goal's "Browse…"): answers a chosen folder's path or null. */
export const PICK_FOLDER_CHANNEL_NAME = 'overseer:pick-folder';
