// The host: composes what `src/main` offers (commands, events, and — as they land — the driver,
// permission server, workspace manager and stores) into one object that both transports serve.
// Plain Node: it runs in tests, in the CLI and behind the desktop shell alike.
import { platform } from 'node:os';
import { CommandDispatcher } from './dispatcher.js';
import { EventHub } from './event-hub.js';
import { prepareDataDir, type DataPaths } from '../paths.js';
import { OVERSEER_VERSION } from '../version.js';

export interface HostOptions {
  /** Data directory root; defaults to $OVERSEER_HOME or the platform's app-data folder. */
  dataDir?: string;
  /** Which shell hosts us; reported by app.info. */
  mode: 'electron' | 'browser';
  /** Heartbeat period in ms (0 turns it off). */
  heartbeatMs?: number;
}

export interface Host {
  readonly paths: DataPaths;
  readonly dispatcher: CommandDispatcher;
  readonly events: EventHub;
  close(): Promise<void>;
}

export function createHost(options: HostOptions): Host {
  const paths = prepareDataDir(options.dataDir);
  const dispatcher = new CommandDispatcher();
  const events = new EventHub();
  const startedAt = Date.now();

  dispatcher.register('app.info', () => ({
    name: 'Overseer' as const,
    version: OVERSEER_VERSION,
    mode: options.mode,
    dataDir: paths.root,
    platform: platform(),
    nodeVersion: process.versions.node,
  }));
  dispatcher.register('ping', (request) => ({ nonce: request.nonce, receivedAt: new Date().toISOString() }));

  const heartbeatMs = options.heartbeatMs ?? 5000;
  const timer =
    heartbeatMs > 0
      ? setInterval(() => {
          events.publish('host.heartbeat', { at: new Date().toISOString(), uptimeMs: Date.now() - startedAt });
        }, heartbeatMs)
      : null;
  timer?.unref();

  return {
    paths,
    dispatcher,
    events,
    async close() {
      if (timer !== null) clearInterval(timer);
    },
  };
}
