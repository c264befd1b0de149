// "Runs on" in the New goal form: this machine or one of the online runners of the NATS server the
// console watches. Shown only when there is a runner to choose; a runner that goes offline while
// chosen falls back to this machine, saying so.
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/command';
import { setRunsOn, useRunsOn } from './runs-on';

const REFRESH_MS = 5000;

export function RunsOnSelect({ onChange }: { onChange?: (runner: string | null) => void }) {
  const runners = useQuery({
    queryKey: ['runners'],
    queryFn: () => call('runners.list', {}),
    refetchInterval: REFRESH_MS,
  });
  const chosen = useRunsOn((state) => state.runner);
  const online = (runners.data?.runners ?? []).filter((runner) => runner.online);
  const chosenGone = chosen !== null && runners.data !== undefined && !online.some((r) => r.name === chosen);
  useEffect(() => {
    if (chosenGone) {
      setRunsOn(null);
      onChange?.(null);
    }
  }, [chosenGone, onChange]);
  // A new form starts on this machine.
  useEffect(() => () => setRunsOn(null), []);
  if (online.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor="goal-runs-on">Runs on</label>
      <select
        id="goal-runs-on"
        value={chosen ?? ''}
        aria-describedby="goal-runs-on-hint"
        onChange={(event) => {
          const runner = event.target.value === '' ? null : event.target.value;
          setRunsOn(runner);
          onChange?.(runner);
        }}
      >
        <option value="">This machine</option>
        {online.map((runner) => (
          <option key={runner.name} value={runner.name}>
            {runner.name} ({runner.freeSlots} of {runner.maxSlots} slots free, {runner.hostname})
          </option>
        ))}
      </select>
      <span id="goal-runs-on-hint" className="hint">
        {chosen === null
          ? 'The repository folder is a path on this machine.'
          : `The repository folder is a path on ${chosen}'s machine, checked there.`}
      </span>
    </div>
  );
}
