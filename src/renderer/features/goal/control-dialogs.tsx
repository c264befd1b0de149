// The dialogs behind the goal controls: Interrupt (a note for the next turn, or stop this turn
// now), Raise turn limit, and Delete.
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';
import { showToast } from '../../state/toasts';
import { DeleteChoice } from '../land/DeleteChoice';

export function InterruptDialog({
  goalId,
  turnRunning,
  onClose,
}: {
  goalId: string;
  turnRunning: boolean;
  onClose: () => void;
}) {
  const [message, setMessage] = useState('');
  const [stopTurn, setStopTurn] = useState(false);
  const send = useCommandMutation({
    mutationFn: () => call('goal.interrupt', { goalId, message, stopTurn }),
    invalidate: [queryKeys.goal(goalId)],
    onSuccess: (answer) => {
      showToast(
        'info',
        stopTurn
          ? 'Stopping this turn; the note leads the next one.'
          : `Note queued for the next turn (${answer.queueDepth} waiting).`,
      );
      onClose();
    },
  });
  return (
    <Dialog title="Interrupt" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          send.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="interrupt-note">Note for Claude</label>
          <textarea
            id="interrupt-note"
            rows={4}
            value={message}
            autoFocus
            onChange={(event) => setMessage(event.target.value)}
            placeholder="What should Claude do differently?"
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={stopTurn} onChange={(event) => setStopTurn(event.target.checked)} /> Stop this
          turn now
          {!turnRunning && <span className="hint"> (no turn is running; the note waits for the next one)</span>}
        </label>
        {send.error !== null && (
          <p role="alert" className="error-text">
            {failureText(send)}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={send.isPending || message.trim() === ''}>
            {stopTurn ? 'Stop turn and send note' : 'Queue note'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RaiseTurnLimitDialog({
  goalId,
  current,
  onClose,
}: {
  goalId: string;
  current: number;
  onClose: () => void;
}) {
  const [value, setValue] = useState(String(current + 10));
  const raise = useCommandMutation({
    mutationFn: (maxTurns: number) => call('goal.raiseTurnLimit', { goalId, maxTurns }),
    invalidate: [queryKeys.goal(goalId), queryKeys.goals],
    onSuccess: (answer) => {
      showToast('info', `Turn limit is now ${answer.maxTurns}.`);
      onClose();
    },
  });
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
  return (
    <Dialog title="Raise turn limit" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (parsed === null) return;
          raise.mutate(parsed);
        }}
      >
        <div className="field">
          <label htmlFor="turn-limit">New turn limit</label>
          <input
            id="turn-limit"
            inputMode="numeric"
            value={value}
            autoFocus
            onChange={(event) => setValue(event.target.value)}
            aria-describedby="turn-limit-hint"
          />
          <span id="turn-limit-hint" className="hint">
            Now {current}.
          </span>
        </div>
        {parsed === null && <p className="error-text">Enter a whole number.</p>}
        {raise.error !== null && (
          <p role="alert" className="error-text">
            {failureText(raise)}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={raise.isPending || parsed === null}>
            Raise limit
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteGoalDialog({
  goalId,
  hasBranch,
  onDeleted,
  onClose,
}: {
  goalId: string;
  hasBranch: boolean;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const [keepBranch, setKeepBranch] = useState(false);
  const remove = useCommandMutation({
    mutationFn: () => call('goal.delete', { goalId, keepBranch }),
    invalidate: [queryKeys.goals],
    onSuccess: (answer) => {
      showToast('info', answer.message);
      onDeleted();
    },
  });
  return (
    <Dialog title="Delete goal" onClose={onClose}>
      <p>This deletes the goal’s history, checkpoints{hasBranch ? ' and worktree' : ''}. It cannot be undone.</p>
      {hasBranch && <DeleteChoice goalId={goalId} keepBranch={keepBranch} onChange={setKeepBranch} />}
      {remove.error !== null && (
        <p role="alert" className="error-text">
          {failureText(remove)}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Keep the goal
        </button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
          Delete goal
        </button>
      </div>
    </Dialog>
  );
}
