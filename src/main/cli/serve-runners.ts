// `overseer serve --nats URL`: the console's connection to a NATS server, answering `runners.list`
// from the runners' presence, and (once the host exists) the remote-goal forwarding that shows the
// runners' goals, prompts and events beside the host's own. NATS is loaded here only when a URL
// was given.
import type { RunnersList } from '../../shared/commands/runners.js';
import type { NatsSettings } from '../nats/connection.js';
import type { Host } from '../host/host.js';
import { UsageError } from './usage.js';

export interface RunnerWatch {
  url: string;
  list: () => Promise<RunnersList>;
  /** Serves the runners' goals through `host` (its dispatcher forwards, its hub carries their events). */
  attach(host: Host, onWarning?: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

export async function watchRunners(settings: NatsSettings): Promise<RunnerWatch> {
  const { connectNats, NatsConnectError } = await import('../nats/connection.js');
  const { runnerDirectory } = await import('../nats/directory.js');
  const { listRunners, openPresence } = await import('../nats/presence.js');
  const { startRemoteGoals } = await import('../nats/remote-goals.js');
  let nc: Awaited<ReturnType<typeof connectNats>>;
  try {
    nc = await connectNats(settings, 'overseer-console');
  } catch (error) {
    if (error instanceof NatsConnectError) throw new UsageError(error.message);
    throw error;
  }
  let remote: Awaited<ReturnType<typeof startRemoteGoals>> | null = null;
  let detach: (() => void) | null = null;
  let presence: Awaited<ReturnType<typeof openPresence>> = null;
  return {
    url: settings.url,
    list: runnerDirectory(nc, settings.url),
    async attach(host, onWarning) {
      remote = await startRemoteGoals({
        nc,
        host,
        listRunners: async () => {
          presence ??= await openPresence(nc);
          return presence === null ? [] : listRunners(presence);
        },
        ...(onWarning !== undefined ? { onWarning } : {}),
      });
      host.dispatcher.intercept(remote.intercept);
      detach = () => host.dispatcher.intercept(null);
    },
    async close() {
      detach?.();
      await remote?.close();
      if (!nc.isClosed()) await nc.close();
    },
  };
}
