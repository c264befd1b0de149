// Errors a command can end with, and their translation into the contract's CommandError.
// Handlers throw HostError for expected failures; anything else becomes an `internal` error.
import type { CommandError, ErrorCode } from '../../shared/contract.js';

export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export function toCommandError(error: unknown, channel: string | null): CommandError {
  if (error instanceof HostError) {
    return { code: error.code, message: error.message, channel, issues: error.issues };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `internal error in "${channel ?? '?'}": ${message}`, channel, issues: [] };
}
