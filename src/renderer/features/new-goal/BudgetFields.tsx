// The budget fieldset: one labelled field per axis, the default shown beside each.
import { useId } from 'react';
import type { BudgetDraft, BudgetField } from './budget-draft';

const FIELDS: { field: BudgetField; label: string; hint: string; inputMode: 'numeric' | 'decimal' | 'text' }[] = [
  { field: 'maxTurns', label: 'Max turns', hint: 'turns', inputMode: 'numeric' },
  { field: 'maxWallTime', label: 'Max wall time', hint: 'e.g. 90m, 4h', inputMode: 'text' },
  { field: 'maxTokens', label: 'Max tokens', hint: 'tokens', inputMode: 'numeric' },
  { field: 'maxCostUsd', label: 'Max cost (USD)', hint: 'empty: no cap', inputMode: 'decimal' },
  { field: 'maxConsecutiveDenies', label: 'Max consecutive denies', hint: '', inputMode: 'numeric' },
  { field: 'maxConsecutiveErrors', label: 'Max consecutive errors', hint: '0: off', inputMode: 'numeric' },
];

interface BudgetFieldsProps {
  legend: string;
  value: BudgetDraft;
  defaults: BudgetDraft | null;
  errors: Partial<Record<BudgetField, string>>;
  onChange: (next: BudgetDraft) => void;
}

export function BudgetFields({ legend, value, defaults, errors, onChange }: BudgetFieldsProps) {
  const id = useId();
  return (
    <fieldset className="budget-fields">
      <legend>{legend}</legend>
      {FIELDS.map(({ field, label, hint, inputMode }) => {
        const inputId = `${id}-${field}`;
        const error = errors[field];
        const fallback = defaults?.[field];
        return (
          <div className="field" key={field}>
            <label htmlFor={inputId}>{label}</label>
            <input
              id={inputId}
              inputMode={inputMode}
              value={value[field]}
              aria-invalid={error !== undefined}
              aria-describedby={`${inputId}-hint`}
              onChange={(event) => onChange({ ...value, [field]: event.target.value })}
            />
            <span id={`${inputId}-hint`} className={error !== undefined ? 'error-text' : 'hint'}>
              {error ??
                [hint, fallback !== undefined ? `default ${fallback === '' ? 'none' : fallback}` : '']
                  .filter((part) => part !== '')
                  .join(' · ')}
            </span>
          </div>
        );
      })}
    </fieldset>
  );
}
