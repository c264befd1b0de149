// Handlers of the app commands (src/shared/commands/app.ts): what this host is, and ping.
import { platform } from 'node:os';
import type { appCommands } from '../../../shared/commands/app.js';
import type { DataPaths } from '../../paths.js';
import { OVERSEER_VERSION } from '../../version.js';
import type { HandlersFor } from '../dispatcher.js';

export function appHandlers(paths: DataPaths, mode: 'electron' | 'browser' | 'cli') {
  return {
    'app.info': () => ({
      name: 'Overseer' as const,
      version: OVERSEER_VERSION,
      mode: mode === 'electron' ? ('electron' as const) : ('browser' as const),
      dataDir: paths.root,
      platform: platform(),
      nodeVersion: process.versions.node,
    }),
    ping: (request) => ({ nonce: request.nonce, receivedAt: new Date().toISOString() }),
  } satisfies HandlersFor<typeof appCommands>;
}
