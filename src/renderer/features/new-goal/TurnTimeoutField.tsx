// The New goal form's turn timeout: a duration ("10m", "90s"; empty = the default, 0 = never) after
// which a turn without output from Claude is stopped (time waiting for the operator does not count).
// Self-contained: useTurnTimeoutField gives the field and its parsed value to the form.
import { useId, useState, type ReactElement } from 'react';
import { parseDuration } from '../../../shared/domain/duration';
import { DEFAULT_TURN_TIMEOUT_MS, turnTimeoutLabel } from '../../../shared/domain/turn-timeout';

export type TurnTimeoutValue = { ok: true; ms: number | null } | { ok: false; error: string };

export function parseTurnTimeout(text: string): TurnTimeoutValue {
  if (text.trim() === '') return { ok: true, ms: null };
  const parsed = parseDuration(text);
  return parsed.ok ? { ok: true, ms: parsed.ms } : { ok: false, error: parsed.error };
}

export function useTurnTimeoutField(initial = ''): { element: ReactElement; value: TurnTimeoutValue; text: string } {
  const id = useId();
  const [text, setText] = useState(initial);
  const value = parseTurnTimeout(text);
  const error = value.ok ? null : value.error;
  const element = (
    <div className="field">
      <label htmlFor={id}>Turn timeout</label>
      <input
        id={id}
        value={text}
        inputMode="text"
        placeholder="e.g. 20m"
        aria-invalid={error !== null}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setText(event.target.value)}
      />
      <span id={`${id}-hint`} className={error !== null ? 'error-text' : 'hint'}>
        {error ??
          `A turn without output from Claude for this long is stopped (waiting for you does not count) · default ${turnTimeoutLabel(DEFAULT_TURN_TIMEOUT_MS)} · 0: never`}
      </span>
    </div>
  );
  return { element, value, text };
}
