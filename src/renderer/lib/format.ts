// Number, money, time and path formatting for the console's labels.
import { formatDuration } from '../../shared/domain/duration';

export { formatDuration };

export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(tokens < 10_000 ? 1 : 0)}k`;
  return `${(tokens / 1_000_000).toFixed(2)}M`;
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** The last `parts` segments of a path ("…/repo/src"). */
export function shortPath(path: string, parts = 2): string {
  const segments = path.split(/[\\/]/).filter((segment) => segment !== '');
  if (segments.length <= parts) return path;
  return `…/${segments.slice(-parts).join('/')}`;
}

export function shortSha(sha: string | null): string {
  return sha === null ? '—' : sha.slice(0, 8);
}

/** Cuts `text` to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Turns are shown counted from 1, as Claude sees them ("[Turn 1/40]"); the contract's turnIndex counts from 0. */
export function turnNumber(turnIndex: number): number {
  return turnIndex + 1;
}
