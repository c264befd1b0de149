// `overseer serve --nats URL`: the console's connection to a NATS server, answering `runners.list`
// from the runners' presence, and (once the host exists) the remote-goal forwarding that shows the
// runners' goals, prompts and events beside the host's own. NATS is loaded here only when a URL
// was given. The console's name (`--name`, else user@hostname) goes with every permission decision
// it forwards to a runner, so each console watching that runner sees who decided.
import { hostname, userInfo } from 'node:os';
import type { RunnersList } from '../../shared/commands/runners.js';
import type { NatsSettings } from '../nats/index.js';
import type { Host } from '../host/index.js';
import { UsageError } from './usage.js';

export interface RunnerWatch {
  url: string;
  list: () => Promise<RunnersList>;
  /** Serves the runners' goals through `host` (its dispatcher forwards, its hub carries their events). */
  attach(host: Host, onWarning?: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** The longest console name (the permission.decide contract bounds `decidedBy`). */
export const CONSOLE_NAME_MAX = 100;

/** The console's default name: user@hostname (just the hostname when the user is unknown). */
export function defaultConsoleName(): string {
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    // No user entry for this uid (a container): the hostname alone still tells consoles apart.
  }
  const name = user === '' ? hostname() : `${user}@${hostname()}`;
  return name.slice(0, CONSOLE_NAME_MAX);
}

export async function watchRunners(settings: NatsSettings, consoleName: string): Promise<RunnerWatch> {
  const { connectNats, NatsConnectError } = await import('../nats/index.js');
  const { runnerDirectory } = await import('../nats/index.js');
  const { listRunners, openPresence } = await import('../nats/index.js');
  const { startRemoteGoals } = await import('../nats/index.js');
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
    list: runnerDirectory(nc, settings.url, consoleName),
    async attach(host, onWarning) {
      remote = await startRemoteGoals({
        nc,
        host,
        consoleName,
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
