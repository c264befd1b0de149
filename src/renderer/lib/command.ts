// Calls a host command through the api client and turns a failed answer into a thrown
// CommandFailure whose message is what the operator reads (the host's message plus field issues).
import type { CommandChannel, CommandError, CommandRequest, CommandResponse } from '../../shared/contract';
import { api } from '../api';

export class CommandFailure extends Error {
  constructor(readonly error: CommandError) {
    super(describeCommandError(error));
    this.name = 'CommandFailure';
  }
}

export function describeCommandError(error: CommandError): string {
  const issues = error.issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  return issues.length === 0 ? error.message : `${error.message} (${issues.join('; ')})`;
}

/** Runs `channel` and resolves to its typed response; rejects with CommandFailure. */
export async function call<C extends CommandChannel>(
  channel: C,
  payload: CommandRequest<C>,
): Promise<CommandResponse<C>> {
  const result = await api.invoke(channel, payload);
  if (!result.ok) throw new CommandFailure(result.error);
  return result.value;
}

/** The readable message of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
