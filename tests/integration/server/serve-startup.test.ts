// `overseer serve` start-up failures (issue 9, finding 6): a bad option is refused before the host
// starts, and a failure after it started (the port is taken) closes everything: the process exits
// non-zero by itself, the data directory's lock is gone, and the next serve on it starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, serveConsole } from '../../helpers/serve.js';
import { socketPathFor } from '../../../src/main/permission/index.js';
import { dataPaths } from '../../../src/main/paths.js';

let root: string;

beforeAll(() => {
  if (!existsSync(builtCli)) throw new Error(`build first (npx electron-vite build): ${builtCli} is missing`);
  root = mkdtempSync(join(tmpdir(), 'overseer-serve-start-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `overseer serve` and waits for it to exit by itself. A host that hangs instead never exits:
 * after a generous bound the test fails (and the process is stopped), rather than hanging the suite. */
function serveUntilExit(
  args: string[],
  dataDir: string,
): Promise<{ code: number | null; output: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli, 'serve', '--data-dir', dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let hung = false;
    const bound = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 45_000);
    child.on('exit', (code) => {
      clearTimeout(bound);
      resolve({ code, output, hung });
    });
  });
}

describe('overseer serve start-up failures', () => {
  it('refuses --host 0.0.0.0 before starting the host, exits non-zero, and the data directory is free', async () => {
    const dataDir = join(root, 'bad-host');
    const result = await serveUntilExit(['--host', '0.0.0.0', '--port', '0'], dataDir);
    expect(result.hung, result.output).toBe(false);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/--host must be a loopback address.*0\.0\.0\.0/);
    expect(existsSync(join(dataDir, 'host.lock'))).toBe(false);
    const served = await serveConsole({ dataDir });
    await served.stop();
  });

  it('refuses malformed numbers before starting the host', async () => {
    for (const args of [
      ['--port', '80abc'],
      ['--port', ''],
      ['--port', '70000'],
      ['--heartbeat-ms', '1e3'],
    ]) {
      const result = await serveUntilExit(args, join(root, 'bad-number'));
      expect(result.hung, result.output).toBe(false);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.output).toMatch(/must be a whole number/);
    }
  });

  it('a taken port: exits non-zero by itself, releases the lock and the permission socket', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = join(root, 'taken-port');
    try {
      const result = await serveUntilExit(['--port', String(port)], dataDir);
      expect(result.hung, result.output).toBe(false);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('EADDRINUSE');
      expect(existsSync(join(dataDir, 'host.lock'))).toBe(false);
      expect(existsSync(socketPathFor(dataPaths(dataDir).runtimeDir))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    const served = await serveConsole({ dataDir });
    expect(served.output()).toContain('serving at');
    await served.stop();
  });
});
