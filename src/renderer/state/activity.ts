// What a goal is doing right now, in one line: waiting for the operator on a tool (a prompt is
// pending), running a tool, thinking (Claude works between tool calls), paused at a budget cap,
// paused, sleeping or queued. Derived from the goal's status, its pending prompts and the open
// timeline's rows of the current turn; the view adds the ticking time.
import type { GoalSummary } from '../../shared/domain/views';
import type { PermissionRecord } from '../../shared/domain/permission';
import { AXIS_LABELS } from '../../shared/domain/budget-extension';
import type { TimelineRow } from './timeline-rows';

export type Activity =
  | { kind: 'waiting'; tool: string; since: string; count: number }
  | { kind: 'tool'; tool: string; since: string }
  | { kind: 'thinking'; since: string | null }
  | { kind: 'state'; text: string }
  | { kind: 'none' };

/** The rows of the turn in progress (after the last turn row, when no attempt row closed it), or null. */
function currentTurnRows(rows: readonly TimelineRow[]): TimelineRow[] | null {
  for (let index = rows.length - 1; index >= 0; index -= 1) {
    const row = rows[index];
    if (row === undefined) continue;
    if (row.kind === 'attempt') return null;
    if (row.kind === 'turn') return rows.slice(index);
  }
  return null;
}

export function goalActivity(
  summary: Pick<GoalSummary, 'status' | 'pausedAtCap'>,
  turnRunning: boolean,
  pending: readonly PermissionRecord[],
  rows: readonly TimelineRow[] | null,
): Activity {
  const first = pending[0];
  if (first !== undefined)
    return { kind: 'waiting', tool: first.request.toolName, since: first.request.createdAt, count: pending.length };
  switch (summary.status) {
    case 'paused':
      return {
        kind: 'state',
        text:
          summary.pausedAtCap !== null
            ? `Paused at the ${AXIS_LABELS[summary.pausedAtCap]} cap · waiting for you`
            : turnRunning
              ? 'Pausing after this turn'
              : 'Paused',
      };
    case 'sleeping':
      return { kind: 'state', text: 'Sleeping until its wake time' };
    case 'queued':
      return { kind: 'state', text: 'Queued for a free slot' };
    case 'pending':
      return { kind: 'state', text: 'Not started' };
    case 'running':
      break;
    default:
      return { kind: 'none' };
  }
  const turn = rows === null ? null : currentTurnRows(rows);
  if (turn === null) return turnRunning ? { kind: 'thinking', since: null } : { kind: 'state', text: 'Between turns' };
  const openTool = [...turn].reverse().find((row) => row.kind === 'tool' && row.result === null);
  if (openTool !== undefined && openTool.kind === 'tool')
    return { kind: 'tool', tool: openTool.name, since: openTool.at };
  return { kind: 'thinking', since: turn.at(-1)?.at ?? null };
}

/** "12 s", "1 m 5 s", "2 h 3 m". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

/** The line itself at `now` (ms since the epoch); null when there is nothing to say. */
export function activityText(activity: Activity, now: number): string | null {
  const since = (iso: string | null): string => {
    if (iso === null) return '';
    const at = Date.parse(iso);
    return Number.isNaN(at) ? '' : ` · ${formatElapsed(now - at)}`;
  };
  switch (activity.kind) {
    case 'waiting':
      return `Waiting for you · ${activity.tool}${since(activity.since)}${activity.count > 1 ? ` (${activity.count} prompts)` : ''}`;
    case 'tool':
      return `Running ${activity.tool}${since(activity.since)}`;
    case 'thinking':
      return `Thinking${since(activity.since)}`;
    case 'state':
      return activity.text;
    case 'none':
      return null;
  }
}
