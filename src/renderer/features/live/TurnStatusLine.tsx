// The goal's one-line status under its title: "Thinking · 12 s", "Running Bash · 40 s",
// "Waiting for you · Bash · 1 m 5 s", "Paused at the turns cap · waiting for you", ticking each second.
import type { GoalDetail } from '../../../shared/domain/views';
import { usePendingPermissions } from '../../state/queries';
import { useTimeline } from '../../state/timeline';
import { activityText, goalActivity } from '../../state/activity';
import { useNow } from '../../state/live-turn';

export function TurnStatusLine({ detail }: { detail: GoalDetail }) {
  const goalId = detail.goal.id;
  const pending = usePendingPermissions();
  const rows = useTimeline((state) => (state.goalId === goalId && state.status === 'ready' ? state.rows : null));
  const mine = (pending.data ?? []).filter((record) => record.request.goalId === goalId);
  const activity = goalActivity(detail.summary, detail.turnRunning, mine, rows);
  const ticking = activity.kind === 'waiting' || activity.kind === 'tool' || activity.kind === 'thinking';
  const now = useNow(ticking);
  const text = activityText(activity, now);
  if (text === null) return null;
  return (
    <p className={`turn-status activity-${activity.kind}`} role="status" aria-live="off" data-testid="turn-status">
      {ticking && <span className="pulse" aria-hidden="true" />}
      {text}
    </p>
  );
}
