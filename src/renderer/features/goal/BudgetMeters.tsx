// Budget meters: one per axis (turns, wall time, tokens, cost, consecutive denies and errors),
// usage against the cap in force; while a turn runs they move live (its cost is an estimate: ≈).
import type { BudgetGuards, BudgetUsage } from '../../../shared/domain/goal';
import { formatCost, formatDuration, formatTokens } from '../../lib/format';

interface Axis {
  label: string;
  used: number;
  cap: number | null;
  text: (value: number) => string;
}

function axes(usage: BudgetUsage, budget: BudgetGuards): Axis[] {
  return [
    { label: 'Turns', used: usage.turns, cap: budget.maxTurns, text: String },
    { label: 'Wall time', used: usage.wallTimeMs, cap: budget.maxWallTimeMs, text: formatDuration },
    { label: 'Tokens', used: usage.tokens, cap: budget.maxTokens, text: formatTokens },
    { label: 'Cost', used: usage.costUsd, cap: budget.maxCostUsd, text: formatCost },
    { label: 'Consecutive denies', used: usage.consecutiveDenies, cap: budget.maxConsecutiveDenies, text: String },
    {
      label: 'Consecutive errors',
      used: usage.consecutiveErrors,
      cap: budget.maxConsecutiveErrors === 0 ? null : budget.maxConsecutiveErrors,
      text: String,
    },
  ];
}

/** The meters a running turn moves (live). */
const MOVING = new Set(['Wall time', 'Tokens', 'Cost']);

export function BudgetMeters({
  usage,
  budget,
  live = false,
}: {
  usage: BudgetUsage;
  budget: BudgetGuards;
  live?: boolean;
}) {
  return (
    <ul className={live ? 'meters live' : 'meters'} aria-label="Budget">
      {axes(usage, budget).map((axis) => {
        const ratio = axis.cap === null || axis.cap === 0 ? 0 : axis.used / axis.cap;
        const approx = live && axis.label === 'Cost' ? '≈' : '';
        const valueText = `${approx}${axis.text(axis.used)} of ${axis.cap === null ? 'no cap' : axis.text(axis.cap)}`;
        return (
          <li
            key={axis.label}
            className={`meter-item${ratio >= 0.9 ? ' near' : ratio >= 0.7 ? ' warm' : ''}${MOVING.has(axis.label) ? ' moving' : ''}`}
          >
            <span className="meter-label">{axis.label}</span>
            {axis.cap !== null ? (
              <meter
                min={0}
                max={axis.cap === 0 ? 1 : axis.cap}
                low={axis.cap * 0.7}
                high={axis.cap * 0.9}
                optimum={0}
                value={Math.min(axis.used, axis.cap)}
                aria-label={axis.label}
                aria-valuetext={valueText}
              />
            ) : (
              <span className="meter-none" aria-hidden="true" />
            )}
            <span className="meter-value" data-testid={`meter-${axis.label.toLowerCase().replace(/ /g, '-')}`}>
              {valueText}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
