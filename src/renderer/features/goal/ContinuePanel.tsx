// "Continue with a note" for a goal that ended (done, cancelled, budget exhausted, escalated,
// failed; also after a rollback): the note leads the next turn in the same worktree and Claude
// session, with the budget extended as given here (each "+" grows from what is used now).
import { useState } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import { parseAxisAmount, type BudgetExtension, type ExtendableAxis } from '../../../shared/domain/budget-extension';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';

const CONTINUABLE = new Set(['done', 'budget_exhausted', 'cancelled', 'escalated', 'failed']);

const FIELDS: { axis: ExtendableAxis; key: keyof BudgetExtension; label: string; placeholder: string }[] = [
  { axis: 'turns', key: 'turns', label: 'More turns', placeholder: 'e.g. 5' },
  { axis: 'wall_time', key: 'wallTimeMs', label: 'More time', placeholder: 'e.g. 30m' },
  { axis: 'tokens', key: 'tokens', label: 'More tokens', placeholder: 'e.g. 200k' },
  { axis: 'cost', key: 'costUsd', label: 'More cost (USD)', placeholder: 'e.g. 2.00' },
];

export function canContinue(detail: GoalDetail): boolean {
  return CONTINUABLE.has(detail.summary.status);
}

export function ContinuePanel({ detail, onClose }: { detail: GoalDetail; onClose: () => void }) {
  const goalId = detail.goal.id;
  const [note, setNote] = useState('');
  const [amounts, setAmounts] = useState<Record<string, string>>({ turns: '5' });
  const refresh = [queryKeys.goal(goalId), queryKeys.goals];
  const submit = useCommandMutation({
    mutationFn: (extension: BudgetExtension) => call('goal.continue', { goalId, note, extension }),
    invalidate: refresh,
    onSuccess: onClose,
  });
  const fields = FIELDS.filter((field) => field.axis !== 'cost' || detail.budget.maxCostUsd !== null);
  const problems: string[] = [];
  const extension: BudgetExtension = {};
  for (const field of fields) {
    const text = (amounts[field.key] ?? '').trim();
    if (text === '') continue;
    const parsed = parseAxisAmount(field.axis, text);
    if (!parsed.ok) problems.push(`${field.label}: ${parsed.error}`);
    else extension[field.key] = parsed.amount;
  }
  const ready = note.trim() !== '' && problems.length === 0 && !submit.isPending;
  const send = (): void => {
    if (ready) submit.mutate(extension);
  };
  return (
    <section className="continue-panel" aria-labelledby="continue-title" data-testid="continue-panel">
      <h3 id="continue-title">Continue with a note</h3>
      <p className="hint">
        Claude reads your note at the next turn, in the same worktree and conversation. Give it the budget it needs.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <label className="field">
          Note for Claude
          <textarea
            value={note}
            rows={3}
            placeholder="What should Claude do next?"
            onChange={(event) => setNote(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                send();
              }
            }}
            autoFocus
          />
        </label>
        <div className="continue-budget">
          {fields.map((field) => (
            <label key={field.key} className="field">
              {field.label}
              <input
                value={amounts[field.key] ?? ''}
                placeholder={field.placeholder}
                size={8}
                onChange={(event) => setAmounts({ ...amounts, [field.key]: event.target.value })}
              />
            </label>
          ))}
        </div>
        {problems.map((problem) => (
          <p key={problem} className="error-text">
            {problem}
          </p>
        ))}
        {submit.error !== null && (
          <p role="alert" className="error-text">
            {failureText(submit)}
          </p>
        )}
        <div className="controls">
          <button type="submit" className="primary" disabled={!ready}>
            Continue
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
          <span className="hint">Ctrl+Enter sends</span>
        </div>
      </form>
    </section>
  );
}
