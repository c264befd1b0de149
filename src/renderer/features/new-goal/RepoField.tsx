// The repository folder field: validated by the host (repo.validate, see repo-check) as the operator
// types (debounced) and when the field loses focus. Shows the resolved path and branch, or why not. The
// repositories of earlier goals are offered as suggestions and as one-click buttons. In Electron a
// "Browse…" button beside the field opens the desktop's folder dialog (browser mode has none).
import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { folderPickerOf } from './folder-picker';
import type { RepoCheck } from './repo-check';

interface RepoFieldProps {
  value: string;
  onChange: (value: string) => void;
  check: RepoCheck;
  /** Asks for a check of this path (see useRepoCheck). */
  onValidate: (path: string) => void;
  /** Repositories of earlier goals, newest first. */
  recent: readonly string[];
  /** Set by a submit with the field empty: shown in place of the hint. */
  required: string | null;
}

export function RepoField({ value, onChange, check, onValidate, recent, required }: RepoFieldProps) {
  const [touched, setTouched] = useState(false);

  // The debounce re-arms only when the text changes; it calls the newest onValidate.
  const validateLater = useEffectEvent(onValidate);
  useEffect(() => {
    if (!touched) return;
    const timer = setTimeout(() => validateLater(value), 450);
    return () => clearTimeout(timer);
  }, [value, touched]);

  const pickFolder = useMemo(() => folderPickerOf(window.overseer), []);
  // The desktop's folder dialog; closing it without a choice (or its failure) changes nothing.
  const browse = useMutation({
    mutationFn: async () => (pickFolder === null ? null : pickFolder()),
    onSuccess: (path) => {
      if (path === null) return;
      setTouched(true);
      onChange(path);
      onValidate(path);
    },
  });

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
      onBlur={() => onValidate(value)}
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
          <button
            type="button"
            onClick={() => browse.mutate()}
            disabled={browse.isPending}
            title="Choose the repository folder"
          >
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
                onValidate(path);
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
