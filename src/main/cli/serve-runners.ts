// `overseer serve --nats URL`: the console's connection to a NATS server, answering `runners.list`
// from the runners' presence. NATS is loaded here only when a URL was given.
import type { RunnersList } from '../../shared/commands/runners.js';
import type { NatsSettings } from '../nats/connection.js';
import { UsageError } from './usage.js';

export interface RunnerWatch {
  url: string;
  list: () => Promise<RunnersList>;
  close(): Promise<void>;
}

export async function watchRunners(settings: NatsSettings): Promise<RunnerWatch> {
  const { connectNats, NatsConnectError } = await import('../nats/connection.js');
  const { runnerDirectory } = await import('../nats/directory.js');
  let nc: Awaited<ReturnType<typeof connectNats>>;
  try {
    nc = await connectNats(settings, 'overseer-console');
  } catch (error) {
    if (error instanceof NatsConnectError) throw new UsageError(error.message);
    throw error;
  }
  return {
    url: settings.url,
    list: runnerDirectory(nc, settings.url),
    async close() {
      if (!nc.isClosed()) await nc.close();
    },
  };
}
