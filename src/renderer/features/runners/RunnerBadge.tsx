// The badge on a goal that runs on another machine (a runner reached over NATS): the runner's
// name, and "offline" while the runner is not there (the goal then shows as it last was). Local
// goals have no runner and no badge, and ask nothing.
import { useQuery } from '@tanstack/react-query';
import type { GoalSummary } from '../../../shared/domain/views';
import { call } from '../../lib/command';

const REFRESH_MS = 5000;

function RemoteBadge({ runner }: { runner: string }) {
  const runners = useQuery({
    queryKey: ['runners'],
    queryFn: () => call('runners.list', {}),
    refetchInterval: REFRESH_MS,
  });
  const known = runners.data?.runners.find((candidate) => candidate.name === runner);
  const offline = known !== undefined && !known.online;
  return (
    <span
      className={`badge runner${offline ? ' warn' : ''}`}
      data-testid="goal-runner"
      title={
        offline ? `runner ${runner} is offline: this is the goal as it last reported it` : `runs on runner ${runner}`
      }
    >
      on {runner}
      {offline ? ' · offline' : ''}
    </span>
  );
}

export function RunnerBadge({ goal }: { goal: Pick<GoalSummary, 'runner'> }) {
  if (goal.runner === undefined) return null;
  return <RemoteBadge runner={goal.runner} />;
}
