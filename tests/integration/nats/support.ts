// What the NATS integration tests share: the built CLI as a child process (its output collected,
// its exit awaited), a console host with the remote-goals forwarding installed (its hub's goal
// events collected), and waiting on a condition (never on a fixed sleep).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { listRunners, openPresence } from '../../../src/main/nats/presence.js';
import { startRemoteGoals, type RemoteGoals } from '../../../src/main/nats/remote-goals.js';
import type { LoggedEvent } from '../../../src/shared/domain/views.js';
import { builtCli } from '../../helpers/serve.js';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  done: Promise<Finished>;
}

/** `overseer ARGS` (the built CLI) with exactly `env`. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [builtCli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    output: () => stdout + stderr,
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

/** The first truthy value `probe` gives, asked every `pollMs`; an error naming `what` after `timeoutMs`. */
export async function until<T>(
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 240_000,
  pollMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A console host connected to NATS with the remote-goals forwarding installed, as the app wires it. */
export interface ConsoleWithRemoteGoals {
  host: Host;
  nc: NatsConnection;
  remote: RemoteGoals;
  /** Every `goal.event` the console's hub published, in order. */
  hubEvents: LoggedEvent[];
  /** Closes the forwarding, the connection and the host, in that order. */
  close(): Promise<void>;
}

/** Starts a console host named `consoleName` in `dataDir`, connected to `natsUrl`, forwarding remote goals. */
export async function startConsoleWithRemoteGoals(options: {
  natsUrl: string;
  dataDir: string;
  claudeBinary: string;
  consoleName?: string;
  onWarning?: (message: string) => void;
}): Promise<ConsoleWithRemoteGoals> {
  const host = await createHost({
    mode: 'browser',
    dataDir: options.dataDir,
    heartbeatMs: 0,
    reattach: false,
    claudeBinary: options.claudeBinary,
  });
  const nc = await connect({ servers: options.natsUrl });
  const remote = await startRemoteGoals({
    nc,
    host,
    consoleName: options.consoleName ?? 'laptop',
    listRunners: async () => {
      const kv = await openPresence(nc);
      return kv === null ? [] : listRunners(kv);
    },
    ...(options.onWarning !== undefined ? { onWarning: options.onWarning } : {}),
  });
  host.dispatcher.intercept(remote.intercept);
  const hubEvents: LoggedEvent[] = [];
  host.events.subscribe((event) => {
    if (event.channel === 'goal.event') hubEvents.push(event.payload);
  });
  return {
    host,
    nc,
    remote,
    hubEvents,
    close: async () => {
      await remote.close();
      await nc.close();
      await host.close();
    },
  };
}
