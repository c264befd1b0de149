// The repository folder field: validated by the host (repo.validate) as the operator types
// (debounced) and when the field loses focus. Shows the resolved path and branch, or why not.
import { useEffect, useRef, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import { errorMessage } from '../../lib/command';
import { validateRepoWhereItRuns } from '../runners/runs-on';

export type RepoCheck =
  | { state: 'idle' }
  | { state: 'checking'; path: string }
  | { state: 'done'; path: string; result: CommandResponse<'repo.validate'> }
  | { state: 'failed'; path: string; message: string };

interface RepoFieldProps {
  value: string;
  onChange: (value: string) => void;
  check: RepoCheck;
  onCheck: (check: RepoCheck) => void;
}

export function RepoField({ value, onChange, check, onCheck }: RepoFieldProps) {
  const latest = useRef(0);
  const [touched, setTouched] = useState(false);

  const validate = (path: string): void => {
    const trimmed = path.trim();
    if (trimmed === '') {
      onCheck({ state: 'idle' });
      return;
    }
    if ((check.state === 'done' || check.state === 'checking') && check.path === trimmed) return;
    const ticket = ++latest.current;
    onCheck({ state: 'checking', path: trimmed });
    validateRepoWhereItRuns(trimmed)
      .then((result) => {
        if (ticket === latest.current) onCheck({ state: 'done', path: trimmed, result });
      })
      .catch((error: unknown) => {
        if (ticket === latest.current) onCheck({ state: 'failed', path: trimmed, message: errorMessage(error) });
      });
  };

  // The debounce re-arms only when the text changes; it calls the newest validate.
  const validateRef = useRef(validate);
  validateRef.current = validate;
  useEffect(() => {
    if (!touched) return;
    const timer = setTimeout(() => validateRef.current(value), 450);
    return () => clearTimeout(timer);
  }, [value, touched]);

  const invalid = (check.state === 'done' && !check.result.ok) || check.state === 'failed';
  return (
    <div className="field">
      <label htmlFor="repo-path">Repository folder</label>
      <input
        id="repo-path"
        value={value}
        placeholder="/path/to/a/git/repository"
        spellCheck={false}
        aria-invalid={invalid}
        aria-describedby="repo-path-check"
        onChange={(event) => {
          setTouched(true);
          onChange(event.target.value);
        }}
        onBlur={() => validate(value)}
      />
      <span
        id="repo-path-check"
        data-testid="repo-check"
        role={invalid ? 'alert' : 'status'}
        className={invalid ? 'error-text' : 'hint'}
      >
        {check.state === 'idle' &&
          'A folder with a git repository (a folder without git works in place, without diffs).'}
        {check.state === 'checking' && 'Checking…'}
        {check.state === 'failed' && check.message}
        {check.state === 'done' &&
          (check.result.ok
            ? `Git repository at ${check.result.path}${check.result.branch !== null ? ` on ${check.result.branch}` : ''}${check.result.head !== null ? ` (${check.result.head.slice(0, 8)})` : ''}`
            : check.result.message)}
      </span>
    </div>
  );
}
