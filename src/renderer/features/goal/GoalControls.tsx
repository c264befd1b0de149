// The goal's controls: Pause / Resume, Cancel (confirmed), Interrupt, Raise turn limit, Restart
// (after a crash), Delete (once it ended). Buttons show only when the status allows them.
import { useState } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import { ConfirmDialog } from '../../components/Dialog';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';
import { navigate } from '../../state/route';
import { DeleteGoalDialog, InterruptDialog, RaiseTurnLimitDialog } from './control-dialogs';
import { QueuedControls } from './QueuedControls';
import { canContinue, ContinuePanel } from './ContinuePanel';

const ENDED = new Set(['done', 'budget_exhausted', 'escalated', 'cancelled', 'failed']);

type Open = 'cancel' | 'interrupt' | 'raise' | 'delete' | 'continue' | null;

export function GoalControls({ detail }: { detail: GoalDetail }) {
  const goalId = detail.goal.id;
  const status = detail.summary.status;
  const [open, setOpen] = useState<Open>(null);
  const refresh = [queryKeys.goal(goalId), queryKeys.goals];
  const pause = useCommandMutation({ mutationFn: () => call('goal.pause', { goalId }), invalidate: refresh });
  const resume = useCommandMutation({ mutationFn: () => call('goal.resume', { goalId }), invalidate: refresh });
  const cancel = useCommandMutation({
    mutationFn: () => call('goal.cancel', { goalId }),
    invalidate: refresh,
    onSuccess: () => setOpen(null),
  });
  const restart = useCommandMutation({ mutationFn: () => call('goal.restart', { goalId }), invalidate: refresh });
  const ended = ENDED.has(status);
  const queued = status === 'queued';
  const live = !ended && status !== 'interrupted' && !queued;
  const error = failureText(pause) ?? failureText(resume) ?? failureText(restart);

  return (
    <>
      <div className="controls" role="toolbar" aria-label="Goal controls">
        {queued && <QueuedControls goalId={goalId} />}
        {live && status !== 'paused' && (
          <button type="button" disabled={pause.isPending} onClick={() => pause.mutate()} title="Pause between turns">
            Pause
          </button>
        )}
        {canContinue(detail) && (
          <button
            type="button"
            className="primary"
            aria-expanded={open === 'continue'}
            onClick={() => setOpen(open === 'continue' ? null : 'continue')}
          >
            Continue with a note…
          </button>
        )}
        {status === 'paused' && detail.summary.pausedAtCap === null && (
          <button type="button" className="primary" disabled={resume.isPending} onClick={() => resume.mutate()}>
            Resume
          </button>
        )}
        {status === 'interrupted' && (
          <button
            type="button"
            className="primary"
            disabled={restart.isPending}
            onClick={() => restart.mutate()}
            title="Resume the goal the host stopped"
          >
            Restart
          </button>
        )}
        {live && (
          <button type="button" onClick={() => setOpen('interrupt')}>
            Interrupt
          </button>
        )}
        {!ended && !queued && (
          <button type="button" onClick={() => setOpen('raise')}>
            Raise turn limit
          </button>
        )}
        {!ended && (
          <button type="button" className="danger" onClick={() => setOpen('cancel')}>
            Cancel goal
          </button>
        )}
        {(ended || status === 'interrupted') && (
          <button type="button" className="danger" onClick={() => setOpen('delete')}>
            Delete
          </button>
        )}
        {error !== null && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
        {open === 'interrupt' && (
          <InterruptDialog goalId={goalId} turnRunning={detail.turnRunning} onClose={() => setOpen(null)} />
        )}
        {open === 'raise' && (
          <RaiseTurnLimitDialog goalId={goalId} current={detail.budget.maxTurns} onClose={() => setOpen(null)} />
        )}
        {open === 'cancel' && (
          <ConfirmDialog
            title="Cancel goal"
            message="Claude stops now (a running turn is ended) and the goal will not continue. Its history and changes stay."
            confirmLabel="Cancel the goal"
            danger
            busy={cancel.isPending}
            error={failureText(cancel)}
            onConfirm={() => cancel.mutate()}
            onClose={() => setOpen(null)}
          />
        )}
        {open === 'delete' && (
          <DeleteGoalDialog
            goalId={goalId}
            hasBranch={detail.workspace?.kind === 'worktree'}
            onClose={() => setOpen(null)}
            onDeleted={() => navigate({ view: 'home' })}
          />
        )}
      </div>
      {open === 'continue' && <ContinuePanel detail={detail} onClose={() => setOpen(null)} />}
    </>
  );
}
