// The repository folder field: validated by the host (repo.validate) as the operator types
// (debounced) and when the field loses focus. Shows the resolved path and branch, or why not. The
// repositories of earlier goals are offered as suggestions and as one-click buttons. In Electron a
// "Browse…" button beside the field opens the desktop's folder dialog (browser mode has none).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import { errorMessage } from '../../lib/command';
import { validateRepoWhereItRuns } from '../runners/runs-on';
import { folderPickerOf } from './folder-picker';

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
  /** Repositories of earlier goals, newest first. */
  recent: readonly string[];
  /** Set by a submit with the field empty: shown in place of the hint. */
  required: string | null;
}

export function RepoField({ value, onChange, check, onCheck, recent, required }: RepoFieldProps) {
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

  const pickFolder = useMemo(() => folderPickerOf(window.overseer), []);
  const [browsing, setBrowsing] = useState(false);
  const browse = (): void => {
    if (pickFolder === null) return;
    setBrowsing(true);
    pickFolder()
      .then((path) => {
        if (path === null) return;
        setTouched(true);
        onChange(path);
        validate(path);
      })
      .catch(() => undefined)
      .finally(() => setBrowsing(false));
  };

  const invalid = required !== null || (check.state === 'done' && !check.result.ok) || check.state === 'failed';
  const input = (
    <input
      id="repo-path"
      value={value}
      list="repo-path-recent"
      placeholder="e.g. ~/src/my-app"
      spellCheck={false}
      aria-invalid={invalid}
      aria-describedby="repo-path-check"
      onChange={(event) => {
        setTouched(true);
        onChange(event.target.value);
      }}
      onBlur={() => validate(value)}
    />
  );
  return (
    <div className="field">
      <label htmlFor="repo-path">Repository folder</label>
      {pickFolder === null ? (
        input
      ) : (
        <div className="field-inline">
          {input}
          <button type="button" onClick={browse} disabled={browsing} title="Choose the repository folder">
            Browse…
          </button>
        </div>
      )}
      <span
        id="repo-path-check"
        data-testid="repo-check"
        role={invalid ? 'alert' : 'status'}
        className={invalid ? 'error-text' : 'hint'}
      >
        {required !== null && required}
        {required === null &&
          check.state === 'idle' &&
          'A folder with a git repository (a folder without git works in place, without diffs).'}
        {check.state === 'checking' && 'Checking…'}
        {check.state === 'failed' && check.message}
        {check.state === 'done' &&
          (check.result.ok
            ? `Git repository at ${check.result.path}${check.result.branch !== null ? ` on ${check.result.branch}` : ''}${check.result.head !== null ? ` (${check.result.head.slice(0, 8)})` : ''}`
            : check.result.message)}
      </span>
      <datalist id="repo-path-recent">
        {recent.map((path) => (
          <option key={path} value={path} />
        ))}
      </datalist>
      {recent.length > 0 && (
        <div className="recent-repos" role="group" aria-label="Recent repositories">
          <span className="hint">Recent:</span>
          {recent.slice(0, 4).map((path) => (
            <button
              key={path}
              type="button"
              className="link-button mono"
              title={path}
              onClick={() => {
                setTouched(true);
                onChange(path);
                validate(path);
              }}
            >
              {path}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
