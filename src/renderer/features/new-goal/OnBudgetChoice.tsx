// What a new goal does at a turns, wall-time, tokens or cost cap: pause and ask (the default in the
// console: "+N and continue" or "End"), or end at once.
import type { OnBudget } from '../../../shared/domain/goal';

export function OnBudgetChoice({ value, onChange }: { value: OnBudget; onChange: (next: OnBudget) => void }) {
  return (
    <fieldset className="radio-group">
      <legend>At a budget cap</legend>
      <label>
        <input type="radio" name="on-budget" checked={value === 'pause'} onChange={() => onChange('pause')} /> Pause and
        ask me (more budget, or end)
      </label>
      <label>
        <input type="radio" name="on-budget" checked={value === 'end'} onChange={() => onChange('end')} /> End the goal
      </label>
    </fieldset>
  );
}
