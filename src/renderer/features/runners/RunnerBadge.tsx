// The badge on a goal that runs on another machine (a runner reached over NATS): the runner's name.
// Local goals have no runner, and no badge.
import type { GoalSummary } from '../../../shared/domain/views';

export function RunnerBadge({ goal }: { goal: Pick<GoalSummary, 'runner'> }) {
  if (goal.runner === undefined) return null;
  return (
    <span className="badge runner" data-testid="goal-runner" title={`runs on runner ${goal.runner}`}>
      on {goal.runner}
    </span>
  );
}
