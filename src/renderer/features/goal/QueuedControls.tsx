// Controls of a queued goal: its place in the queue and "Move up" (Cancel is the usual button).
import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';

export function QueuedControls({ goalId }: { goalId: string }) {
  const queue = useQuery({ queryKey: [...queryKeys.goals, 'queue'], queryFn: () => call('goals.queue', {}) });
  const moveUp = useCommandMutation({
    mutationFn: () => call('goal.moveUp', { goalId }),
    invalidate: [queryKeys.goals, queryKeys.goal(goalId)],
  });
  const index = queue.data?.goalIds.indexOf(goalId) ?? -1;
  return (
    <>
      <span className="queue-position" data-testid="queue-position">
        {index >= 0 ? `Queued: #${index + 1} of ${queue.data?.goalIds.length ?? 0}` : 'Queued'}
      </span>
      <button
        type="button"
        disabled={moveUp.isPending || index <= 0}
        onClick={() => moveUp.mutate()}
        title="Start this goal earlier"
      >
        Move up
      </button>
      {moveUp.error !== null && <span className="error-text">{failureText(moveUp)}</span>}
    </>
  );
}
