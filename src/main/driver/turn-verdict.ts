// How a finished Claude turn is classified (see docs/driver.md, "Classifying a turn"): from the
// `result` line, never the exit code; `is_error` on a success result is an error; a cancelled goal
// wins; an operator-stopped turn goes on to the next turn; a timed-out turn is a "turn timeout" even
// though Claude answers the stop with a result line. Outcomes Overseer decides itself carry a typed
// cause (the replay policy reads it); their reason text is for people. Pure: the attempt runner does
// the effects (acceptance, invalidating the session, warnings).
import { z } from 'zod';
import type { AttemptCause, AttemptOutcome } from '../../shared/domain/goal.js';
import { DEFAULT_TURN_TIMEOUT_MS, turnTimeoutReason } from '../../shared/domain/turn-timeout.js';
import { resultErrorText, type ResultLine } from './stream.js';

/** The text people read for each cause of Overseer's own (the replay policy reads the cause, not this). */
export const ATTEMPT_REASONS: Readonly<Record<AttemptCause, string>> = {
  turn_timeout: 'turn timeout',
  session_invalid: 'session invalid: retrying',
  no_result: 'stream ended without result event',
  max_turns: 'claude reported max turns',
  stopped_by_operator: 'stopped by operator',
  no_session_to_compact: 'no session to compact',
  /** Claude Code started without our permission tool twice in a row (the bridge was not up in time). */
  permission_tool_missing: 'permission tool missing',
};

type ContinueOutcome = Extract<AttemptOutcome, { kind: 'continue' }>;
type EscalateOutcome = Extract<AttemptOutcome, { kind: 'escalate' }>;

/** A `continue` Overseer decided itself: its typed cause and the text people read. */
export function continueBecause(cause: AttemptCause, reason: string = ATTEMPT_REASONS[cause]): ContinueOutcome {
  return { kind: 'continue', reason, cause };
}

/** An `escalate` Overseer decided itself. */
export function escalateBecause(cause: AttemptCause, reason: string = ATTEMPT_REASONS[cause]): EscalateOutcome {
  return { kind: 'escalate', reason, cause };
}

/** The operator stopped the turn (it neither failed nor succeeded). */
export function isStoppedByOperator(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'continue' && outcome.cause === 'stopped_by_operator';
}

/**
 * Claude Code's error when the permission tool's MCP server was not connected when a tool needed it
 * ("Error: MCP tool mcp__overseer__permission_prompt (passed via --permission-prompt-tool) not found.
 * Available MCP tools: none"): a startup race, worth one retry with a fresh bridge.
 */
export function permissionToolMissingLine(stderr: string): string | null {
  const match = /MCP tool \S+ \(passed via --permission-prompt-tool\) not found[^\n]*/.exec(stderr);
  return match !== null ? match[0] : null;
}

/**
 * A turn whose whole final text is `{"__overseer_sleep__": true, "duration_ms": n, "reason": "..."}` asks
 * to sleep (docs/driver.md, "Sleep"); `__nexo_sleep__` is the same sentinel under the name of the loop
 * Overseer's driver was first written after, still accepted so older prompts keep working.
 */
const SleepSentinelSchema = z.union([
  z.object({ __nexo_sleep__: z.literal(true), duration_ms: z.number().int().nonnegative(), reason: z.string() }),
  z.object({ __overseer_sleep__: z.literal(true), duration_ms: z.number().int().nonnegative(), reason: z.string() }),
]);

export function parseSleepSentinel(text: string | null | undefined): { durationMs: number; reason: string } | null {
  if (text === null || text === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(text.trim());
  } catch {
    return null;
  }
  const parsed = SleepSentinelSchema.safeParse(json);
  return parsed.success ? { durationMs: parsed.data.duration_ms, reason: parsed.data.reason } : null;
}

export interface TurnFacts {
  /** The first `result` line, if one came. */
  result: ResultLine | null;
  spawnError: string | null;
  /** Why the driver stopped the attempt, if it did. */
  stopCause: 'cancel' | 'stop_turn' | null;
  /** The per-turn deadline stopped the process. */
  timedOut: boolean;
  /** The turn timeout in force (for the reason text). */
  timeoutMs?: number;
  compact: boolean;
}

export type TurnVerdict =
  /** Final: this is the attempt's outcome. */
  | { kind: 'outcome'; outcome: AttemptOutcome }
  /** Claude claims success: run acceptance (done or needs_retry). */
  | { kind: 'evaluate' }
  /** A compact turn went through. */
  | { kind: 'compacted' }
  /** The resumed session is gone: invalidate the binding, then Continue "session invalid". */
  | { kind: 'session_invalid' }
  /** The process ended without a result line (Continue, with a warning). */
  | { kind: 'no_result' };

const outcome = (value: AttemptOutcome): TurnVerdict => ({ kind: 'outcome', outcome: value });

export function classifyTurn(facts: TurnFacts): TurnVerdict {
  if (facts.spawnError !== null) return outcome({ kind: 'escalate', reason: `spawn failed: ${facts.spawnError}` });
  if (facts.stopCause === 'cancel') return outcome({ kind: 'cancelled' });
  const line = facts.result;
  const timeout = outcome(
    continueBecause('turn_timeout', turnTimeoutReason(facts.timeoutMs ?? DEFAULT_TURN_TIMEOUT_MS)),
  );
  if (line === null) {
    if (facts.timedOut) return timeout;
    if (facts.stopCause === 'stop_turn') return outcome(continueBecause('stopped_by_operator'));
    return { kind: 'no_result' };
  }
  if (line.subtype === 'success' && !line.is_error) {
    const sleep = parseSleepSentinel(line.result);
    if (sleep !== null) return outcome({ kind: 'sleep', durationMs: sleep.durationMs, reason: sleep.reason });
    return facts.compact ? { kind: 'compacted' } : { kind: 'evaluate' };
  }
  if (facts.stopCause === 'stop_turn') return outcome(continueBecause('stopped_by_operator'));
  // Claude answers the SIGINT of a timeout with an ordinary error_during_execution result.
  if (facts.timedOut) return timeout;
  if (line.subtype === 'error_max_turns') return outcome(escalateBecause('max_turns'));
  const message = resultErrorText(line);
  if (line.subtype === 'error_during_execution' && message.toLowerCase().includes('session'))
    return { kind: 'session_invalid' };
  const reason =
    line.subtype === 'success' || line.subtype === 'error_during_execution' ? message : `${line.subtype}: ${message}`;
  return outcome({ kind: 'escalate', reason });
}
