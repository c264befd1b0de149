// A goal's tokens per turn as a tiny inline SVG line in its sidebar item, named for screen readers
// with the numbers it draws. sparklinePoints is the geometry (exported for its unit test).
import { formatTokens } from '../../lib/format';

const W = 64;
const H = 16;
/** Only the most recent turns fit in 64 px. */
export const SPARKLINE_TURNS = 24;

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

export function Sparkline({ values }: { values: readonly number[] }) {
  const recent = values.slice(-SPARKLINE_TURNS);
  if (recent.length === 0) return null;
  const first = values.length - recent.length + 1;
  const label = `Tokens per turn${values.length > recent.length ? ` (turns ${first}–${values.length})` : ''}: ${recent
    .map(formatTokens)
    .join(', ')}`;
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
