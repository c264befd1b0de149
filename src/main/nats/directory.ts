// The console's view of the runners on its NATS server (`overseer serve --nats URL`): answers the
// `runners.list` command from the presence bucket, saying so when NATS cannot be read just now
// instead of failing the command. The answer also carries this console's own name (the one it
// sends with its decisions), so its views can tell "decided by you" from another console.
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import type { RunnersList } from '../../shared/commands/runners.js';
import { listRunners, openPresence } from './presence.js';

export function runnerDirectory(nc: NatsConnection, natsUrl: string, consoleName?: string): () => Promise<RunnersList> {
  let kv: KV | null = null;
  const named = consoleName !== undefined ? { consoleName } : {};
  return async () => {
    try {
      kv ??= await openPresence(nc);
      if (kv === null) return { natsUrl, runners: [], problem: null, ...named };
      const runners = await listRunners(kv);
      return {
        natsUrl,
        runners: runners.map(({ presence, online, lastSeen }) => ({ ...presence, online, lastSeen })),
        problem: null,
        ...named,
      };
    } catch (error) {
      return {
        natsUrl,
        runners: [],
        problem: `cannot read the runners from NATS: ${error instanceof Error ? error.message : String(error)}`,
        ...named,
      };
    }
  };
}
