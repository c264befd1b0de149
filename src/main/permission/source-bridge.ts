// How to start the bridge straight from its TypeScript source (dev runs, tests, the benchmark):
// `node --import <tsx loader> <absolute bridge.ts>`. Both are absolute because Claude Code starts MCP
// servers from the goal's workspace, where a bare `--import tsx` would not resolve. The packaged app
// points at its built bridge.js instead.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BRIDGE_SOURCE_PATH = fileURLToPath(new URL('./bridge.ts', import.meta.url));

/** Node flags that load tsx from this checkout, whatever the working directory. */
export function tsxImportArgs(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

export function sourceBridgeCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [...tsxImportArgs(), BRIDGE_SOURCE_PATH] };
}
