// Opens the HostClient of a runner over NATS for a CLI command (`--runner NAME`), turning "cannot
// connect", "refused credentials" and "no such runner / offline" into usage errors (exit 1).
import type { HostClient } from './host-client/client.js';
import type { RunnerTarget } from './nats-flags.js';
import { UsageError } from './usage.js';

export async function openRunnerClient(target: RunnerTarget): Promise<HostClient> {
  const { connectRunnerClient, RunnerUnavailableError } = await import('../nats/index.js');
  const { NatsConnectError } = await import('../nats/index.js');
  try {
    return await connectRunnerClient(target.settings, target.name);
  } catch (error) {
    if (error instanceof RunnerUnavailableError || error instanceof NatsConnectError)
      throw new UsageError(error.message);
    throw error;
  }
}
