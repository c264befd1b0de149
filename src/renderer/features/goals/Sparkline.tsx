// A goal's tokens per turn as a tiny inline SVG line in its sidebar item, named for screen readers
// with the numbers it draws. sparklinePoints is the geometry and sparklineShown what it draws and says
// (exported for their unit test).
import { GOAL_LIST_RECENT_TURNS } from '../../../shared/domain/goal-list';
import { formatTokens } from '../../lib/format';

const W = 64;
const H = 16;
/** Only the most recent turns fit in 64 px (and the goal list carries no more). */
const SPARKLINE_TURNS = GOAL_LIST_RECENT_TURNS;

/** SVG polyline points for `values` in a width×height box (top = the largest value; one value is a flat line). */
export function sparklinePoints(values: readonly number[], width = W, height = H): string {
  if (values.length === 0) return '';
  const max = Math.max(...values);
  const y = (value: number) => (max <= 0 ? height - 1 : height - 1 - (value / max) * (height - 2));
  if (values.length === 1) {
    const only = y(values[0] ?? 0).toFixed(1);
    return `0,${only} ${width},${only}`;
  }
  const step = width / (values.length - 1);
  return values.map((value, index) => `${(index * step).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
}

/**
 * What the sparkline draws and says: the last SPARKLINE_TURNS of `values` (tokens per turn index, the
 * first of them turn index `from`), and a label naming the turns when they are not all of the goal's.
 */
export function sparklineShown(values: readonly number[], from = 0): { recent: number[]; label: string } {
  const recent = values.slice(-SPARKLINE_TURNS);
  const first = from + values.length - recent.length + 1;
  const last = from + values.length;
  const turns = first > 1 ? ` (turns ${first}–${last})` : '';
  return { recent, label: `Tokens per turn${turns}: ${recent.map(formatTokens).join(', ')}` };
}

/** `values`: tokens per turn index, the first of them turn index `from` (the goal list sends the recent turns). */
export function Sparkline({ values, from = 0 }: { values: readonly number[]; from?: number }) {
  const { recent, label } = sparklineShown(values, from);
  if (recent.length === 0) return null;
  return (
    <svg
      className="sparkline"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      data-testid="sparkline"
    >
      <title>{label}</title>
      <polyline points={sparklinePoints(recent)} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
