// Runs host commands from a CLI subcommand (land, open): the same channels and payloads the
// console sends, through the CLI's host client (the running console's host, or one of our own in
// this process), and resolves a goal from any unique id prefix.
import type { CommandChannel, CommandRequest, CommandResponse } from '../../shared/contract.js';
import { CommandFailure, type HostClient } from './host-client/client.js';
import { openHostClient } from './host-client/connect.js';
import { resolveGoal } from './goal-ref.js';
import type { RunnerTarget } from './nats-flags.js';

export type Invoke = <C extends CommandChannel>(channel: C, request: CommandRequest<C>) => Promise<CommandResponse<C>>;

/** A host command that failed: its message, for stderr (exit 1 unless the caller says otherwise). */
export class CommandFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandFailed';
  }
}

export async function withHostCommands<T>(
  dataDir: string | null,
  action: (invoke: Invoke, client: HostClient) => Promise<T>,
  runner: RunnerTarget | null = null,
): Promise<T> {
  const client = await openHostClient({ dataDir, runner });
  const invoke: Invoke = async (channel, request) => {
    try {
      return await client.invoke(channel, request);
    } catch (error) {
      if (error instanceof CommandFailure) throw new CommandFailed(error.error.code, error.message);
      throw error;
    }
  };
  try {
    return await action(invoke, client);
  } finally {
    await client.close();
  }
}

/** The goal whose id starts with `ref` (it must be the only one). */
export async function resolveGoalId(client: HostClient, ref: string | undefined): Promise<string> {
  return (await resolveGoal(client, ref)).id;
}
