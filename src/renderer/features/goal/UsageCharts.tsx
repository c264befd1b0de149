// Usage charts of a goal, in plain SVG: tokens and cost per turn (bars; a turn's retries and
// compactions count toward it) and the running total against the budget's cap (line, with the cap
// dashed). Each chart says its numbers in its label for screen readers.
import type { GoalDetail } from '../../../shared/domain/views';
import { formatCost, formatTokens, turnNumber } from '../../lib/format';
import { perTurn } from '../../../shared/domain/per-turn';

const W = 420;
const H = 120;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };

interface Series {
  label: string;
  perTurn: number[];
  cap: number | null;
  format: (value: number) => string;
}

function BarChart({ series }: { series: Series }) {
  const values = series.perTurn;
  const max = Math.max(...values, 1e-9);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(values.length, 1);
  const barW = Math.max(1, Math.min(24, step * 0.7));
  const summary = values.map((value, index) => `turn ${turnNumber(index)}: ${series.format(value)}`).join(', ');
  return (
    <figure className="chart">
      <figcaption>{series.label} per turn</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${series.label} per turn: ${summary}`}
        data-testid={`chart-${series.label.toLowerCase()}-per-turn`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 4} y={PAD.top + 8} className="tick" textAnchor="end">
          {series.format(max)}
        </text>
        {values.map((value, index) => {
          const h = (value / max) * innerH;
          const x = PAD.left + index * step + (step - barW) / 2;
          return (
            <rect key={index} className="bar" x={x} y={H - PAD.bottom - h} width={barW} height={h}>
              <title>{`Turn ${turnNumber(index)}: ${series.format(value)}`}</title>
            </rect>
          );
        })}
        <text x={PAD.left} y={H - 4} className="tick">
          1
        </text>
        <text x={W - PAD.right} y={H - 4} className="tick" textAnchor="end">
          {values.length}
        </text>
      </svg>
    </figure>
  );
}

function CumulativeChart({ series, used }: { series: Series; used: number }) {
  const points: number[] = [];
  let total = 0;
  for (const value of series.perTurn) {
    total += value;
    points.push(total);
  }
  const top = Math.max(used, total, series.cap ?? 0, 1e-9);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (points.length <= 1 ? innerW : (index / (points.length - 1)) * innerW);
  const y = (value: number) => H - PAD.bottom - (value / top) * innerH;
  const path = [`${PAD.left},${y(0)}`, ...points.map((value, index) => `${x(index)},${y(value)}`)].join(' ');
  const capText = series.cap === null ? 'no cap' : `cap ${series.format(series.cap)}`;
  return (
    <figure className="chart">
      <figcaption>
        {series.label} so far: {series.format(used)} of {capText}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${series.label} so far ${series.format(used)}, ${capText}`}
        data-testid={`chart-${series.label.toLowerCase()}-cumulative`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
        {series.cap !== null && (
          <line className="cap" x1={PAD.left} x2={W - PAD.right} y1={y(series.cap)} y2={y(series.cap)} />
        )}
        <polyline className="line" points={path} fill="none" />
        <text x={PAD.left - 4} y={PAD.top + 8} className="tick" textAnchor="end">
          {series.format(top)}
        </text>
      </svg>
    </figure>
  );
}

export function UsageCharts({ detail }: { detail: GoalDetail }) {
  if (detail.turns.length === 0) return null;
  const tokens: Series = {
    label: 'Tokens',
    perTurn: perTurn(detail.turns, (turn) => turn.tokens),
    cap: detail.budget.maxTokens,
    format: formatTokens,
  };
  const cost: Series = {
    label: 'Cost',
    perTurn: perTurn(detail.turns, (turn) => turn.costUsd),
    cap: detail.budget.maxCostUsd,
    format: formatCost,
  };
  return (
    <div className="usage-charts" aria-label="Usage charts">
      <BarChart series={tokens} />
      <CumulativeChart series={tokens} used={detail.usage.tokens} />
      <BarChart series={cost} />
      <CumulativeChart series={cost} used={detail.usage.costUsd} />
    </div>
  );
}
