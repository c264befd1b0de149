// The two IPC channel names shared by the preload and the main process.
export const INVOKE_CHANNEL_NAME = 'overseer:invoke';
export const EVENT_CHANNEL_NAME = 'overseer:event';
