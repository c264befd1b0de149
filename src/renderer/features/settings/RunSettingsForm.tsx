// Settings → "Running goals": how many goals run at once (the rest queue), resuming goals that were
// running when Overseer stopped, the context fill at which a session is compacted, progress beacons.
import { useState, type FormEvent } from 'react';
import type { RunSettings } from '../../../shared/domain/run-settings';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return value >= min && value <= max ? value : null;
}

export function RunSettingsForm({ value }: { value: RunSettings }) {
  const [maxRunning, setMaxRunning] = useState(String(value.maxRunningGoals));
  const [resumeAtStart, setResumeAtStart] = useState(value.resumeInterruptedAtStart);
  const [threshold, setThreshold] = useState(String(Math.round(value.compactThreshold * 100)));
  const [progressEvery, setProgressEvery] = useState(String(value.progressEveryTurns));
  const [progressNotify, setProgressNotify] = useState(value.progressNotify);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useCommandMutation({
    mutationFn: (running: RunSettings) => call('settings.update', { running }),
    invalidate: [queryKeys.settings],
    onSuccess: () => setSaved(true),
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSaved(false);
    const max = wholeNumber(maxRunning, 1, 64);
    const pct = wholeNumber(threshold, 1, 100);
    const every = wholeNumber(progressEvery, 0, 1000);
    if (max === null) return setError('Goals at once: a whole number from 1 to 64');
    if (pct === null) return setError('Compact at: a percentage from 1 to 100');
    if (every === null) return setError('Progress every: a whole number of turns (0 = off)');
    setError(null);
    save.mutate({
      ...value,
      maxRunningGoals: max,
      resumeInterruptedAtStart: resumeAtStart,
      compactThreshold: pct / 100,
      progressEveryTurns: every,
      progressNotify,
    });
  };

  return (
    <form className="form" aria-label="Running goals" onSubmit={submit} noValidate>
      <div className="field-row">
        <div className="field">
          <label htmlFor="max-running">Goals running at once</label>
          <input
            id="max-running"
            inputMode="numeric"
            value={maxRunning}
            onChange={(event) => setMaxRunning(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="compact-threshold">Compact the session at (% of the context window)</label>
          <input
            id="compact-threshold"
            inputMode="numeric"
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="progress-every">Progress beacon every N turns (0 = off)</label>
          <input
            id="progress-every"
            inputMode="numeric"
            value={progressEvery}
            onChange={(event) => setProgressEvery(event.target.value)}
          />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={resumeAtStart} onChange={(event) => setResumeAtStart(event.target.checked)} />{' '}
        Resume goals that were running when Overseer stopped
      </label>
      <label className="check">
        <input type="checkbox" checked={progressNotify} onChange={(event) => setProgressNotify(event.target.checked)} />{' '}
        Notify me of progress beacons
      </label>
      {(error ?? failureText(save)) !== null && (
        <p role="alert" className="error-text">
          {error ?? failureText(save)}
        </p>
      )}
      <div className="actions">
        {saved && <span role="status">Saved.</span>}
        <button type="submit" className="primary" disabled={save.isPending}>
          Save
        </button>
      </div>
    </form>
  );
}
