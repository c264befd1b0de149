// The goal's usage as it is now: the stored usage (as of the running turn's start) plus what the
// running turn has used so far (its assistant messages), and the wall time ticking while it runs.
import type { BudgetUsage } from '../../../shared/domain/goal';
import type { GoalDetail } from '../../../shared/domain/views';
import { useLiveTurns, useNow } from '../../state/live-turn';

export interface LiveUsage {
  usage: BudgetUsage;
  /** The running turn's figures are in (tokens and an estimated cost). */
  live: boolean;
}

export function liveUsage(
  detail: GoalDetail,
  turn: { turnIndex: number; tokens: number; costUsd: number | null } | undefined,
  now: number,
): LiveUsage {
  const running = detail.turnRunning ? [...detail.turns].reverse().find((t) => t.status === 'running') : undefined;
  let usage = detail.usage;
  if (running !== undefined) {
    const started = Date.parse(running.startedAt);
    if (!Number.isNaN(started)) usage = { ...usage, wallTimeMs: usage.wallTimeMs + Math.max(0, now - started) };
  }
  const counts = turn !== undefined && (running === undefined || running.turnIndex === turn.turnIndex);
  if (!counts) return { usage, live: running !== undefined };
  return {
    usage: { ...usage, tokens: usage.tokens + turn.tokens, costUsd: usage.costUsd + (turn.costUsd ?? 0) },
    live: true,
  };
}

export function useLiveUsage(detail: GoalDetail): LiveUsage {
  const turn = useLiveTurns((state) => state[detail.goal.id]);
  const now = useNow(detail.turnRunning);
  return liveUsage(detail, turn, now);
}
