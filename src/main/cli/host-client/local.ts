// The in-process HostClient: the CLI runs its own host (one per data directory, as before) and
// sends commands through the same dispatcher the transports use, so payloads are validated the same.
import {
  parseInvokeResult,
  type CommandChannel,
  type CommandRequest,
  type CommandResponse,
} from '../../../shared/contract.js';
import { createHost, type Host, type HostOptions } from '../../host/index.js';
import { serveCliEndpoint } from '../../server/index.js';
import { CommandFailure, type HostClient } from './client.js';

export interface LocalHostClient extends HostClient {
  readonly kind: 'local';
  readonly host: Host;
}

export async function createLocalClient(
  options: Omit<HostOptions, 'mode'>,
  extra: { publish?: boolean } = {},
): Promise<LocalHostClient> {
  const host = await createHost({ mode: 'cli', heartbeatMs: 0, ...options });
  let endpoint: { close(): Promise<void> } | null = null;
  if (extra.publish === true) {
    try {
      endpoint = await serveCliEndpoint(host, 'cli');
    } catch (error) {
      await host.close();
      throw error;
    }
  }
  const client = localClientFor(host);
  return {
    ...client,
    async close() {
      await endpoint?.close();
      await host.close();
    },
  };
}

export function localClientFor(host: Host): LocalHostClient {
  return {
    kind: 'local',
    host,
    async invoke<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
      const result = parseInvokeResult(channel, await host.dispatcher.invoke(channel, payload, { transport: 'local' }));
      if (!result.ok) throw new CommandFailure(result.error);
      return result.value;
    },
    subscribe: (listener) => host.events.subscribe(listener),
    onLost: () => undefined,
    close: () => host.close(),
  };
}
