// The goal's cumulative diff: everything it changed since it started.
import { ErrorText, Loading } from '../../components/bits';
import { useCumulativeDiff } from '../../state/queries';
import { FileDiffs } from './FileDiffs';

export function CumulativeChanges({ goalId }: { goalId: string }) {
  const diff = useCumulativeDiff(goalId, true);
  return (
    <section aria-label="Changes since the goal started" className="cumulative">
      {diff.isPending && <Loading label="Loading the goal’s changes…" />}
      <ErrorText error={diff.error} />
      {diff.data !== undefined && <FileDiffs stat={diff.data.stat} files={diff.data.files} />}
    </section>
  );
}
