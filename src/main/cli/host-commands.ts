// Runs host commands from a CLI subcommand: the same channels and payloads the console sends,
// through the host's dispatcher (an in-process host on the data directory), so a remote client can
// carry them later unchanged. Also resolves a goal from any unique id prefix.
import type { CommandChannel, CommandRequest, CommandResponse } from '../../shared/contract.js';
import { createHost, type Host } from '../host/host.js';
import { HostLockedError } from '../host/host-lock.js';
import { UsageError } from './usage.js';

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

export async function withHostCommands<T>(dataDir: string | null, action: (invoke: Invoke, host: Host) => Promise<T>): Promise<T> {
  let host: Host;
  try {
    host = await createHost({ mode: 'cli', heartbeatMs: 0, ...(dataDir !== null ? { dataDir } : {}) });
  } catch (error) {
    if (error instanceof HostLockedError) throw new UsageError(error.message);
    throw error;
  }
  const invoke: Invoke = async (channel, request) => {
    const result = await host.dispatcher.invoke(channel, request, { transport: 'local' });
    if (!result.ok) throw new CommandFailed(result.error.code, result.error.message);
    return result.value as CommandResponse<typeof channel>;
  };
  try {
    return await action(invoke, host);
  } finally {
    await host.close();
  }
}

/** The goal whose id starts with `ref` (it must be the only one). */
export async function resolveGoalId(invoke: Invoke, ref: string | undefined): Promise<string> {
  if (ref === undefined || ref.trim() === '') throw new UsageError('which goal? give its id or the start of it (see `overseer goals`)');
  const { goals } = await invoke('goals.list', {});
  const matches = goals.filter((goal) => goal.id.startsWith(ref.trim()));
  if (matches.length === 0) throw new UsageError(`no goal whose id starts with "${ref}"`);
  if (matches.length > 1) throw new UsageError(`"${ref}" matches ${matches.length} goals; give more of the id`);
  return matches[0]!.id;
}
