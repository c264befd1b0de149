// Starts Debian's nats-server (JetStream on, store in a temp folder) on a free loopback port for
// tests and benches, optionally with an authorization block; restart() brings it back on the same
// port and store (a server restart mid-goal). The port is the one the server picked (-1) and
// printed, so two tests never race for one.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER_BIN = process.env['OVERSEER_NATS_SERVER'] ?? '/usr/sbin/nats-server';

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  output(): string;
  /** SIGTERM, wait for exit. */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/** `authorization { ... }` body (NATS config syntax), e.g. users with permissions. */
export interface NatsServerOptions {
  authorization?: string;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  if (!existsSync(NATS_SERVER_BIN))
    throw new Error(
      `nats-server is missing at ${NATS_SERVER_BIN} (Debian: apt-get install -y nats-server; npm test installs it)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'overseer-nats-'));
  const storeDir = join(dir, 'jetstream');
  let output = '';
  let child: ChildProcess;
  let port = -1;

  async function launch(): Promise<void> {
    const config = join(dir, 'server.conf');
    writeFileSync(
      config,
      [
        `listen: 127.0.0.1:${port}`,
        `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
        options.authorization !== undefined ? `authorization { ${options.authorization} }` : '',
      ].join('\n'),
    );
    child = spawn(NATS_SERVER_BIN, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => void (output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const started = output.length;
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start in 60 s:\n${output}`)), 60_000);
      const check = (): void => {
        const match = /Listening for client connections on [\d.]+:(\d+)/.exec(output.slice(started));
        if (match?.[1] !== undefined && /Server is ready/.test(output.slice(started))) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stderr?.on('data', check);
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${output}`));
      });
    });
  }

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  await launch();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    storeDir,
    output: () => output,
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
