// The Claude Code binary setting with a "found at …" check (claude.check).
import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import { call, errorMessage } from '../../lib/command';

type Check =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'done'; result: CommandResponse<'claude.check'> }
  | { state: 'failed'; message: string };

export function ClaudeBinaryField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const run = (path: string): void => {
    setCheck({ state: 'checking' });
    call('claude.check', { path: path.trim() === '' ? null : path.trim() })
      .then((result) => setCheck({ state: 'done', result }))
      .catch((error: unknown) => setCheck({ state: 'failed', message: errorMessage(error) }));
  };
  // Check once with what is saved, so the page opens with the answer.
  const [initial] = useState(value);
  useEffect(() => run(initial), [initial]);
  const bad = (check.state === 'done' && !check.result.found) || check.state === 'failed';
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
        <button type="button" onClick={() => run(value)} disabled={check.state === 'checking'}>
          Check
        </button>
      </div>
      <span
        id="claude-check"
        data-testid="claude-check"
        role={bad ? 'alert' : 'status'}
        className={bad ? 'error-text' : 'hint'}
      >
        {check.state === 'checking' && 'Looking for Claude Code…'}
        {check.state === 'failed' && check.message}
        {check.state === 'done' &&
          `${check.result.message}${check.result.version !== null ? ` — ${check.result.version}` : ''}`}
      </span>
      {check.state === 'done' && check.result.warning != null && (
        <span data-testid="claude-version-warning" role="alert" className="error-text">
          {check.result.warning}
        </span>
      )}
    </div>
  );
}
