// How Claude Code starts our permission bridge: the built entry next to the host (out/main/
// permission-bridge.js, shipped outside the app archive), run by this same runtime — Node, or
// Electron's binary with ELECTRON_RUN_AS_NODE=1 so users need no separate Node — or, when running
// from the sources (tests, development), the TypeScript entry through tsx.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceBridgeCommand } from '../permission/source-bridge.js';

export interface BridgeCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export function bridgeCommand(): BridgeCommand {
  const here = dirname(fileURLToPath(import.meta.url));
  const env = process.versions['electron'] !== undefined ? { ELECTRON_RUN_AS_NODE: '1' } : undefined;
  const built = [join(here, 'permission-bridge.js'), join(here, '..', 'permission-bridge.js')].find((file) => existsSync(file));
  if (built !== undefined) return { command: process.execPath, args: [built], ...(env !== undefined ? { env } : {}) };
  if (existsSync(join(here, '..', 'permission', 'bridge.ts'))) return sourceBridgeCommand();
  throw new Error(`the permission bridge was not found next to ${here}; run \`npm run build\``);
}
