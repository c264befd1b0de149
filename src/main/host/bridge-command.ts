// How Claude Code starts our permission bridge: the built entry next to the host (out/main/
// permission-bridge.js, shipped outside the app archive), run by this same runtime — Node, or
// Electron's binary with ELECTRON_RUN_AS_NODE=1 so users need no separate Node — or, when running
// from the sources (tests, development), the TypeScript entry through tsx. In a packaged app the
// bridge is run from the unpacked side of the archive (Claude Code cannot read inside app.asar).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outsideAsar } from '../asar-paths.js';
import { sourceBridgeCommand } from '../permission/index.js';

export interface BridgeCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface BridgeRuntime {
  /** The folder of the running host code. */
  here: string;
  /** The runtime's binary (Node, or Electron's). */
  execPath: string;
  /** Set when the runtime is Electron. */
  electronVersion: string | undefined;
  exists: (path: string) => boolean;
}

export function bridgeCommand(
  runtime: BridgeRuntime = {
    here: dirname(fileURLToPath(import.meta.url)),
    execPath: process.execPath,
    electronVersion: process.versions['electron'],
    exists: existsSync,
  },
): BridgeCommand {
  const { here } = runtime;
  const env = runtime.electronVersion !== undefined ? { ELECTRON_RUN_AS_NODE: '1' } : undefined;
  const built = [join(here, 'permission-bridge.js'), join(here, '..', 'permission-bridge.js')]
    .map(outsideAsar)
    .find((file) => runtime.exists(file));
  if (built !== undefined) return { command: runtime.execPath, args: [built], ...(env !== undefined ? { env } : {}) };
  if (runtime.exists(join(here, '..', 'permission', 'bridge.ts'))) return sourceBridgeCommand();
  throw new Error(`the permission bridge was not found next to ${here}; run \`npm run build\``);
}
