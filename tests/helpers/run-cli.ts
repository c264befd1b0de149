// Runs the `overseer` CLI as a child process, to its exit, for the CLI integration tests: from its
// TypeScript source through tsx by default, or a built file (out/main/overseer.js) when a test needs the
// built permission bridge. The child's process tree is recorded while it runs (guardChild); whatever of it
// is still alive after the exit (a Claude process, a tool, the bridge) is killed and returned in
// `leftovers`, which a test of `overseer run` expects to be empty: the CLI must leave nothing behind.
import { spawn } from 'node:child_process';
import { tsxImportArgs } from '../../src/main/permission/source-bridge.js';
import { guardChild } from './spawned-tree.js';

/** The CLI's TypeScript entry point (run through tsx). */
export const CLI_SOURCE = new URL('../../src/main/cli/overseer.ts', import.meta.url).pathname;
/** The built CLI (npx electron-vite build): its bridge starts without tsx. */
export const CLI_BUILT = new URL('../../out/main/overseer.js', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** pids of the CLI's process tree still alive after it exited (killed by this helper). */
  leftovers: number[];
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cli: string = CLI_SOURCE): Promise<CliRun> {
  return new Promise((resolve) => {
    const node = cli === CLI_SOURCE ? [...tsxImportArgs(), cli] : [cli];
    const child = spawn(process.execPath, [...node, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = guardChild(child, 250);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      void guard.cleanup().then((leftovers) => resolve({ code, stdout, stderr, leftovers }));
    });
  });
}
