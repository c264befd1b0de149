// Errors a command can end with, and their translation into the contract's CommandError.
// Handlers throw HostError for expected failures; anything else becomes an `internal` error.
import type { z } from 'zod';
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

/** Turns zod issues into "field: message" pairs, the field as a dotted path ("budget.maxTurns", "(root)"). */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map((part) => String(part)).join('.'),
    message: issue.message,
  }));
}

export function invalidPayload(channel: string, error: z.ZodError, what = 'payload'): HostError {
  const issues = describeIssues(error);
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new HostError('invalid_payload', `invalid ${what} for "${channel}": ${summary}`, issues);
}

export function toCommandError(error: unknown, channel: string | null): CommandError {
  if (error instanceof HostError) {
    return { code: error.code, message: error.message, channel, issues: error.issues };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `internal error in "${channel ?? '?'}": ${message}`, channel, issues: [] };
}
