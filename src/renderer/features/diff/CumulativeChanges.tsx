// The goal's cumulative diff: everything it changed since it started, for review (see FileDiffs).
import { ErrorText, Loading } from '../../components/bits';
import { useCumulativeDiff, useGoalDetail } from '../../state/queries';
import { FileDiffs } from './FileDiffs';
import { commentDelivery } from './ReviewComments';

export function CumulativeChanges({ goalId }: { goalId: string }) {
  const diff = useCumulativeDiff(goalId, true);
  const detail = useGoalDetail(goalId);
  return (
    <section aria-label="Changes since the goal started" className="cumulative">
      {diff.isPending && <Loading label="Loading the goal’s changes…" />}
      <ErrorText error={diff.error} />
      {diff.data !== undefined && (
        <FileDiffs
          stat={diff.data.stat}
          files={diff.data.files}
          scope={{ goalId, turnIndex: null, turnRunning: detail.data?.turnRunning ?? false }}
          delivery={commentDelivery(detail.data)}
        />
      )}
    </section>
  );
}
