// A goal paused at a budget cap: what ran out, "+N and continue" for that axis (N editable, in the
// axis's unit: turns, a duration, tokens, USD) and "End" (the goal ends budget-exhausted).
import { useState } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import {
  AXIS_LABELS,
  axisExtension,
  capText,
  defaultStep,
  formatAxisAmount,
  parseAxisAmount,
  type ExtendableAxis,
} from '../../../shared/domain/budget-extension';
import { formatDuration } from '../../../shared/domain/duration';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';

function amountInput(axis: ExtendableAxis, amount: number): string {
  if (axis === 'wall_time') return formatDuration(amount);
  if (axis === 'cost') return amount.toFixed(2);
  return String(amount);
}

const UNIT_HINT: Record<ExtendableAxis, string> = {
  turns: 'turns',
  wall_time: 'e.g. 30m, 1h',
  tokens: 'tokens, e.g. 200k',
  cost: 'USD',
};

export function CapPanel({ detail }: { detail: GoalDetail }) {
  const axis = detail.summary.pausedAtCap;
  if (axis === null) return null;
  return <CapChoice key={axis} detail={detail} axis={axis} />;
}

function CapChoice({ detail, axis }: { detail: GoalDetail; axis: ExtendableAxis }) {
  const goalId = detail.goal.id;
  const [text, setText] = useState(() => amountInput(axis, defaultStep(axis, detail.budget)));
  const parsed = parseAxisAmount(axis, text);
  const refresh = [queryKeys.goal(goalId), queryKeys.goals];
  const extend = useCommandMutation({
    mutationFn: (amount: number) => call('goal.extendBudget', { goalId, extension: axisExtension(axis, amount) }),
    invalidate: refresh,
  });
  const end = useCommandMutation({ mutationFn: () => call('goal.endAtCap', { goalId }), invalidate: refresh });
  const busy = extend.isPending || end.isPending;
  const error = failureText(extend) ?? failureText(end);
  const label = AXIS_LABELS[axis];
  return (
    <section className="cap-panel" aria-labelledby="cap-title" data-testid="cap-panel">
      <h3 id="cap-title">Paused at the {label} cap</h3>
      <p>
        {capText(axis, detail.usage, detail.budget)} used. Claude waits: give it more {label} and it goes on where it
        stopped, or end the goal here.
      </p>
      <form
        className="cap-actions"
        onSubmit={(event) => {
          event.preventDefault();
          if (parsed.ok) extend.mutate(parsed.amount);
        }}
      >
        <label>
          Add <span className="visually-hidden">{label}</span>
          <input
            aria-label={`Add ${label}`}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={!parsed.ok}
            aria-describedby="cap-unit"
            size={8}
          />
        </label>
        <span id="cap-unit" className="hint">
          {parsed.ok ? UNIT_HINT[axis] : parsed.error}
        </span>
        <button type="submit" className="primary" disabled={!parsed.ok || busy}>
          {parsed.ok ? `+${formatAxisAmount(axis, parsed.amount)} and continue` : 'Add and continue'}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => end.mutate()}>
          End
        </button>
      </form>
      {error !== null && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </section>
  );
}
