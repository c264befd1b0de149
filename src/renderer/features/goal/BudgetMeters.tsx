// Budget meters: one chip per axis (turns, wall time, tokens, cost, consecutive denies and errors),
// usage against the cap in force with a thin bar, all in one row; while a turn runs they move live (its cost is an estimate: ≈).
import type { BudgetGuards, BudgetUsage } from '../../../shared/domain/goal';
import { formatCost, formatDuration, formatTokens } from '../../lib/format';

interface Axis {
  label: string;
  /** The chip's visible label (the full label is its accessible name and tooltip). */
  short: string;
  used: number;
  cap: number | null;
  text: (value: number) => string;
}

function axes(usage: BudgetUsage, budget: BudgetGuards): Axis[] {
  return [
    { label: 'Turns', short: 'Turns', used: usage.turns, cap: budget.maxTurns, text: String },
    { label: 'Wall time', short: 'Time', used: usage.wallTimeMs, cap: budget.maxWallTimeMs, text: formatDuration },
    { label: 'Tokens', short: 'Tokens', used: usage.tokens, cap: budget.maxTokens, text: formatTokens },
    { label: 'Cost', short: 'Cost', used: usage.costUsd, cap: budget.maxCostUsd, text: formatCost },
    {
      label: 'Consecutive denies',
      short: 'Denies',
      used: usage.consecutiveDenies,
      cap: budget.maxConsecutiveDenies,
      text: String,
    },
    {
      label: 'Consecutive errors',
      short: 'Errors',
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
            title={`${axis.label}: ${valueText}`}
            className={`meter-item${ratio >= 0.9 ? ' near' : ratio >= 0.7 ? ' warm' : ''}${MOVING.has(axis.label) ? ' moving' : ''}`}
          >
            <span className="meter-label">{axis.short}</span>
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
              {axis.cap === null ? (
                <>
                  {approx}
                  {axis.text(axis.used)}
                  <span className="visually-hidden"> of no cap</span>
                </>
              ) : (
                valueText
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
