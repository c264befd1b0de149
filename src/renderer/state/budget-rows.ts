// Timeline rows of budgets that pause and ask (paused at a cap, extended) and of a goal continued
// with a note after it ended. Live usage (turn_usage) shows in the status line, not as rows.
import type { DriverEvent } from '../../shared/events';
import { AXIS_LABELS, capText } from '../../shared/domain/budget-extension';
import { formatCost, formatDuration, formatTokens } from '../lib/format';
import { clipText, type Converted, type RowTone, type TimelineRow } from './timeline-row-types';

type Base = Pick<TimelineRow, 'seq' | 'at' | 'turnIndex'>;
type BudgetEvent = Extract<
  DriverEvent,
  { kind: 'budget_paused' | 'budget_extended' | 'goal_continued' | 'turn_usage' }
>;

function row(base: Base, tone: RowTone, label: string, text: string): Converted {
  const clipped = clipText(text);
  return { row: { ...base, kind: 'note', tone, label, text: clipped.text, clipped: clipped.clipped }, pairKey: null };
}

export function convertBudgetEvent(base: Base, event: BudgetEvent): Converted {
  switch (event.kind) {
    case 'budget_paused':
      return row(
        base,
        'warn',
        `Paused at the ${AXIS_LABELS[event.axis]} cap`,
        `${capText(event.axis, event.usage, event.budget)}: give it more and continue, or end it`,
      );
    case 'budget_extended': {
      const b = event.budget;
      return row(
        base,
        'info',
        'Budget extended',
        `${b.maxTurns} turns, ${formatDuration(b.maxWallTimeMs)}, ${formatTokens(b.maxTokens)} tokens${b.maxCostUsd !== null ? `, ${formatCost(b.maxCostUsd)}` : ''}`,
      );
    }
    case 'goal_continued':
      return row(base, 'info', 'Continued with your note', event.note);
    case 'turn_usage':
      return null;
  }
}
