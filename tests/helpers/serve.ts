// Starts `overseer serve` from the build (out/main/overseer.js) on a free port with its own data
// directory, and returns its URL. Used by end-to-end tests and the browser-server tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export async function serveConsole(opts: { dataDir?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ServedConsole> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'overseer-e2e-'));
  const child = spawn(process.execPath, [builtCli, 'serve', '--port', '0', '--data-dir', dataDir, '--heartbeat-ms', '500', ...(opts.extraArgs ?? [])], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`overseer serve printed no URL in 30 s:\n${output}`)), 30_000);
    const check = (): void => {
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => reject(new Error(`overseer serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    process: child,
    output: () => output,
    async stop(stopOpts = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (stopOpts.keepData !== true && opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
