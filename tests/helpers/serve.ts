// Starts `overseer serve` from the build (out/main/overseer.js) on a free port with its own data
// directory, and returns its URL. Used by end-to-end tests and the browser-server tests. The host's
// process tree is guarded: whatever happens (no URL printed, a host that ignores SIGTERM), stop()
// and a failed start leave nothing of it running.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guardChild } from './spawned-tree.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const builtCli = join(repoRoot, 'out', 'main', 'overseer.js');

export interface ServedConsole {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export async function serveConsole(
  opts: {
    dataDir?: string;
    extraArgs?: string[];
    env?: NodeJS.ProcessEnv;
    /** Another build's CLI instead of this tree's (a bench's baseline). */
    cli?: string;
  } = {},
): Promise<ServedConsole> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'overseer-e2e-'));
  const cli = opts.cli ?? builtCli;
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--data-dir', dataDir, '--heartbeat-ms', '500', ...(opts.extraArgs ?? [])],
    {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const guard = guardChild(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      // generous: a loaded machine can take long to start node; a host that never serves fails here
      const timer = setTimeout(() => reject(new Error(`overseer serve printed no URL in 120 s:\n${output}`)), 120_000);
      const check = (): void => {
        const match = /serving at (http:\/\/\S+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', check);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`overseer serve exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await guard.cleanup();
    if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    process: child,
    output: () => output,
    async stop(stopOpts = {}) {
      let stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        await guard.record();
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        // a host that does not stop within a minute is killed, and the test fails on it
        stopped = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 60_000).unref()),
        ]);
      }
      await guard.cleanup();
      if (stopOpts.keepData !== true && opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      if (!stopped) throw new Error(`overseer serve ignored SIGTERM for 60 s and was killed:\n${output}`);
    },
  };
}
