// Whole-number flag values (ports, heartbeats, turn and token budgets). Only plain decimal digits
// are read, so "1e3", "0x10", "-1", "" and a number past 2^53 are refused instead of being taken
// as something the user did not type; a value outside the flag's range is a UsageError naming the
// flag, what it takes, and what was given.
import { UsageError } from './usage.js';

export interface WholeNumberRange {
  min: number;
  max?: number;
  /** What the number counts, for the message (e.g. "of milliseconds"). */
  unit?: string;
}

/** `text` as a whole number within `range`, or a UsageError for `flag`. */
export function wholeNumberFlag(flag: string, text: string, range: WholeNumberRange): number {
  const value = /^\s*\d{1,16}\s*$/.test(text) ? Number(text) : Number.NaN;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < range.min || value > max) {
    throw new UsageError(`${flag} must be ${rangeText(range)}, got "${text}"`);
  }
  return value;
}

function rangeText({ min, max, unit }: WholeNumberRange): string {
  const what = `a whole number${unit !== undefined ? ` ${unit}` : ''}`;
  if (max !== undefined) return `${what} from ${min} to ${max}`;
  return min > 0 ? `${what} (at least ${min})` : what;
}
