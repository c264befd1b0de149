// The per-turn timeout as both sides name it: the reason the driver gives a timed-out turn (its
// "turn timeout" prefix is what the replay policy classifies as transient) and the operator-facing
// text the console shows for it ("turn timed out after 10 min").

/** Default turn timeout: this long without output from Claude (operator waits excluded) stops the turn. */
export const DEFAULT_TURN_TIMEOUT_MS = 600_000;

const PREFIX = 'turn timeout';
const DETAIL = ': no output from Claude for ';

/** "10 min", "90 s", "250 ms". */
export function turnTimeoutLabel(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} s`;
  return `${ms} ms`;
}

/** The attempt reason of a turn stopped by its timeout. */
export function turnTimeoutReason(timeoutMs: number): string {
  return `${PREFIX}${DETAIL}${turnTimeoutLabel(timeoutMs)}`;
}

/** "turn timed out after 10 min" for a reason made by turnTimeoutReason; null for any other text. */
export function timedOutText(reason: string): string | null {
  if (!reason.startsWith(PREFIX)) return null;
  const rest = reason.slice(PREFIX.length);
  return rest.startsWith(DETAIL) ? `turn timed out after ${rest.slice(DETAIL.length)}` : 'turn timed out';
}
