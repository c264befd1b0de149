// "Retry setup": shown on a goal whose worktree setup failed (status setup_failed); runs the setup
// again (goal.restart) once the user fixed the cause.
import type { GoalDetail } from '../../../shared/domain/views';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';

export function SetupRetry({ detail }: { detail: GoalDetail }) {
  const goalId = detail.goal.id;
  const retry = useCommandMutation({
    mutationFn: () => call('goal.restart', { goalId }),
    invalidate: [queryKeys.goal(goalId), queryKeys.goals],
  });
  if (detail.summary.status !== 'setup_failed') return null;
  return (
    <div className="setup-failed" role="alert">
      <p>
        The worktree setup failed before any turn (see the timeline for the command, its exit code and output). Fix the
        cause — or the setup commands in Settings → Repositories — then retry.
      </p>
      <button type="button" className="primary" disabled={retry.isPending} onClick={() => retry.mutate()}>
        {retry.isPending ? 'Retrying…' : 'Retry setup'}
      </button>
      {retry.error !== null && <p className="error-text">{failureText(retry)}</p>}
    </div>
  );
}
