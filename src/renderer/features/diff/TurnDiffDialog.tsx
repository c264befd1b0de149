// One turn's diff in a dialog for review (viewed ticks, revert of a file or hunk, line comments), and "Roll back to before this turn"
// behind a confirmation (refused while a turn runs).
import { useState } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { ErrorText, Loading } from '../../components/bits';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { turnNumber } from '../../lib/format';
import { closeTurnDiff } from '../../state/diff-dialog';
import { queryKeys, useTurnDiff } from '../../state/queries';
import { showToast } from '../../state/toasts';
import { FileDiffs } from './FileDiffs';
import { commentDelivery } from './ReviewComments';

export function TurnDiffDialog({ detail, turnIndex }: { detail: GoalDetail; turnIndex: number }) {
  const goalId = detail.goal.id;
  const diff = useTurnDiff(goalId, turnIndex, true);
  const [confirming, setConfirming] = useState(false);
  const rollback = useCommandMutation({
    mutationFn: () => call('goal.rollback', { goalId, turnIndex, phase: 'pre' }),
    invalidate: [queryKeys.goal(goalId), queryKeys.cumulativeDiff(goalId)],
    onSuccess: (answer) => {
      setConfirming(false);
      showToast('info', `Rolled back to before turn ${turnNumber(turnIndex)} (${answer.sha.slice(0, 8)}).`);
    },
  });
  return (
    <Dialog title={`Changes in turn ${turnNumber(turnIndex)}`} size="wide" onClose={closeTurnDiff}>
      {diff.isPending && <Loading label="Loading the diff…" />}
      <ErrorText error={diff.error} />
      {diff.data !== undefined && (
        <FileDiffs
          stat={diff.data.stat}
          files={diff.data.files}
          scope={{ goalId, turnIndex, turnRunning: detail.turnRunning }}
          delivery={commentDelivery(detail)}
        />
      )}
      <div className="actions">
        <button type="button" className="danger" disabled={detail.turnRunning} onClick={() => setConfirming(true)}>
          Roll back to before this turn
        </button>
        {detail.turnRunning && <span className="hint">A turn is running: pause the goal first.</span>}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Roll back"
          message={
            <p>
              The workspace returns to exactly how it was before turn {turnNumber(turnIndex)}: every change since (this
              turn’s and later turns’) is undone. The checkpoints stay, so you can look at them again.
            </p>
          }
          confirmLabel={`Roll back to before turn ${turnNumber(turnIndex)}`}
          danger
          busy={rollback.isPending}
          error={failureText(rollback)}
          onClose={() => setConfirming(false)}
          onConfirm={() => rollback.mutate()}
        />
      )}
    </Dialog>
  );
}
