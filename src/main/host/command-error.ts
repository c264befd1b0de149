// Errors a command can end with, and their translation into the contract's CommandError.
// Handlers throw HostError for expected failures. The domain modules (driver, permission broker,
// workspace, landing) throw their own error classes; `toHostError` is the one table that says which
// contract code each of them is. Anything else becomes an `internal` error.
import type { CommandError, ErrorCode } from '../../shared/contract.js';
import { DriverControlError, ClaudeNotFoundError } from '../driver/index.js';
import { PermissionRequestNotPendingError, UnknownGoalError } from '../permission/index.js';
import { isWorkspaceError, LandRefusal } from '../workspace/index.js';

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

/**
 * The command error a domain error stands for, or null when it is not one we expect (a bug: the
 * dispatcher answers it as `internal`).
 */
export function toHostError(error: unknown): HostError | null {
  if (error instanceof HostError) return error;
  // A control the driver refused (not running, already paused...) carries its contract code.
  if (error instanceof DriverControlError) return new HostError(error.code, error.message);
  // Someone decided the request first.
  if (error instanceof PermissionRequestNotPendingError) return new HostError('conflict', error.message);
  if (error instanceof UnknownGoalError) return new HostError('not_found', error.message);
  // No Claude Code to run a goal with: the operator fixes Settings.
  if (error instanceof ClaudeNotFoundError) return new HostError('failed_precondition', error.message);
  // Landing refused (conflicts, uncommitted files): the issues name the files.
  if (error instanceof LandRefusal)
    return new HostError(
      'failed_precondition',
      error.message,
      error.files.map((path) => ({ path, message: error.fileNotes[path] ?? error.reason })),
    );
  // A revert whose patch no longer applies: the tree moved on since (nothing was changed).
  if (isWorkspaceError(error, 'revert_conflict')) return new HostError('conflict', error.message);
  // Git refused (not a repository, branch moved, worktree gone...).
  if (isWorkspaceError(error)) return new HostError('failed_precondition', error.message);
  return null;
}

/** Runs a domain call, rethrowing the errors `toHostError` knows as command errors. */
export function asCommand<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw toHostError(error) ?? error;
  }
}

/** `asCommand` for an asynchronous call. */
export async function asCommandAsync<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toHostError(error) ?? error;
  }
}

export function toCommandError(error: unknown, channel: string | null): CommandError {
  if (error instanceof HostError) {
    return { code: error.code, message: error.message, channel, issues: error.issues };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `internal error in "${channel ?? '?'}": ${message}`, channel, issues: [] };
}
