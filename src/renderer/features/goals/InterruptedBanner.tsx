// One banner for goals that were running when Overseer stopped (unless Settings resume them at
// start): "N goals were interrupted — Resume all / Review". Review opens the oldest of them. They are
// asked of the host apart from the goal list, which holds only the newest goals: "Resume all" restarts
// every interrupted goal, and the banner counts every one.
import { useState } from 'react';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys, useInterruptedGoals } from '../../state/queries';
import { openGoal } from '../../state/route';

export function InterruptedBanner() {
  const interruptedGoals = useInterruptedGoals();
  const [dismissed, setDismissed] = useState(false);
  const resumeAll = useCommandMutation({
    mutationFn: () => call('goals.resumeInterrupted', {}),
    invalidate: [queryKeys.goals],
  });
  const interrupted = interruptedGoals.data?.goals ?? [];
  if (dismissed || interrupted.length === 0) return null;
  const oldest = interrupted[interrupted.length - 1];
  const count = interruptedGoals.data?.total ?? interrupted.length;
  return (
    <div className="banner" role="status" data-testid="interrupted-banner">
      <span>
        {count} {count === 1 ? 'goal was' : 'goals were'} interrupted
      </span>
      <button type="button" className="primary" disabled={resumeAll.isPending} onClick={() => resumeAll.mutate()}>
        Resume all
      </button>
      {oldest !== undefined && (
        <button type="button" onClick={() => openGoal(oldest.id)}>
          Review
        </button>
      )}
      <button type="button" aria-label="Dismiss" onClick={() => setDismissed(true)}>
        ×
      </button>
      {resumeAll.error !== null && <span className="error-text">{failureText(resumeAll)}</span>}
    </div>
  );
}
