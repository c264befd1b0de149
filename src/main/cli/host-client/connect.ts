// Picks the CLI's host: the running console's (its endpoint file in the data directory names a
// live host) or, when none runs, a host of our own in this process, as before.
import { defaultDataDir } from '../../paths.js';
import { readEndpointFile, type HostEndpoint, HostLockedError, type HostOptions } from '../../host/index.js';
import { UsageError } from '../usage.js';
import type { HostClient } from './client.js';
import { connectRemote, HostUnreachableError } from './remote.js';
import type { RunnerTarget } from '../nats-flags.js';

export interface OpenClientOptions {
  /** `--data-dir`; null: OVERSEER_HOME or the platform's folder. */
  dataDir: string | null;
  /** Options for a host of our own, prepared only when no console runs (e.g. finding Claude Code). */
  local?: () => Promise<Omit<HostOptions, 'mode' | 'dataDir'>>;
  /** Publish our own host's endpoint too, so other `overseer` commands reach it while we run. */
  publishLocal?: boolean;
  /** `--runner NAME`: the runner's host over NATS instead (loaded only then). */
  runner?: RunnerTarget | null;
}

/** The live console host serving the data directory, if one runs. */
export function runningHost(dataDir: string | null): HostEndpoint | null {
  return readEndpointFile(dataDir ?? defaultDataDir());
}

export async function openHostClient(options: OpenClientOptions): Promise<HostClient> {
  if (options.runner !== undefined && options.runner !== null) {
    const { openRunnerClient } = await import('../runner-client.js');
    return openRunnerClient(options.runner);
  }
  const dataDir = options.dataDir ?? defaultDataDir();
  const endpoint = runningHost(dataDir);
  if (endpoint !== null) {
    try {
      return await connectRemote(endpoint);
    } catch (error) {
      if (error instanceof HostUnreachableError) throw new UsageError(error.message);
      throw error;
    }
  }
  try {
    const local = options.local === undefined ? {} : await options.local();
    // Loaded only when no console runs: a host of our own brings git, the driver and the server.
    const { createLocalClient } = await import('./local.js');
    return await createLocalClient({ ...local, dataDir }, { publish: options.publishLocal ?? false });
  } catch (error) {
    // A host holds the directory but publishes no endpoint (an older version, or another `overseer run`).
    if (error instanceof HostLockedError) throw new UsageError(error.message);
    throw error;
  }
}
