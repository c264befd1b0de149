// The Claude Code binary setting with a "found at …" check (claude.check, a react-query read keyed by
// the path checked: the saved one when the page opens, then whatever "Check" was pressed on).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call, errorMessage } from '../../lib/command';

export function ClaudeBinaryField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [checked, setChecked] = useState(() => value.trim());
  const check = useQuery({
    queryKey: ['claude.check', checked],
    queryFn: () => call('claude.check', { path: checked === '' ? null : checked }),
    // A failure is the answer shown under the field; Check asks again.
    retry: false,
    // Claude Code may have been installed since: a check is never answered from the cache.
    staleTime: 0,
    gcTime: 0,
  });
  const run = (path: string): void => {
    const trimmed = path.trim();
    if (trimmed === checked) void check.refetch();
    else setChecked(trimmed);
  };
  const checking = check.isFetching;
  const failed = !checking && check.isError;
  const result = checking || check.isError ? undefined : check.data;
  const bad = (result !== undefined && !result.found) || failed;
  return (
    <div className="field">
      <label htmlFor="claude-binary">Claude Code binary</label>
      <div className="field-inline">
        <input
          id="claude-binary"
          className="mono"
          value={value}
          placeholder="find it (PATH, login shell)"
          spellCheck={false}
          aria-describedby="claude-check"
          onChange={(event) => onChange(event.target.value)}
        />
        <button type="button" onClick={() => run(value)} disabled={checking}>
          Check
        </button>
      </div>
      <span
        id="claude-check"
        data-testid="claude-check"
        role={bad ? 'alert' : 'status'}
        className={bad ? 'error-text' : 'hint'}
      >
        {checking && 'Looking for Claude Code…'}
        {failed && errorMessage(check.error)}
        {result !== undefined && `${result.message}${result.version !== null ? ` — ${result.version}` : ''}`}
      </span>
      {result !== undefined && result.warning != null && (
        <span data-testid="claude-version-warning" role="alert" className="error-text">
          {result.warning}
        </span>
      )}
    </div>
  );
}
