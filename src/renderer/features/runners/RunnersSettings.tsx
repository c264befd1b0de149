// Settings → Runners: the runners on the NATS server this console watches (`overseer serve --nats
// URL`), online or offline, last seen, free slots, running goals, version, OS and the Claude Code
// each found. Presence has no event of its own, so the list is re-read every few seconds while shown.
import { useQuery } from '@tanstack/react-query';
import { ErrorText, Loading } from '../../components/bits';
import { call } from '../../lib/command';
import { formatDateTime } from '../../lib/format';
import type { RunnerView } from '../../../shared/commands/runners';

const runnersKey = ['runners'] as const;
const REFRESH_MS = 2000;

function stateOf(runner: RunnerView): string {
  if (runner.online) return 'online';
  return runner.state === 'stopped' ? 'stopped' : 'offline';
}

export function RunnersSettings() {
  const runners = useQuery({
    queryKey: runnersKey,
    queryFn: () => call('runners.list', {}),
    refetchInterval: REFRESH_MS,
  });
  if (runners.isPending) return <Loading label="Loading runners…" />;
  if (runners.error !== null) return <ErrorText error={runners.error} />;
  const { natsUrl, runners: list, problem } = runners.data;
  if (natsUrl === null) {
    return (
      <p className="muted">
        No NATS server configured. Start the console with <code>overseer serve --nats URL</code> to see the runners
        started with <code>overseer agent</code> on other machines.
      </p>
    );
  }
  return (
    <div aria-label="Runners">
      <p className="muted">
        Runners on <span className="mono">{natsUrl}</span>
      </p>
      {problem !== null && (
        <p role="alert" className="error-text">
          {problem}
        </p>
      )}
      {list.length === 0 ? (
        <p className="muted">
          No runners yet. Start one with <code>overseer agent --nats {natsUrl} --name NAME</code>.
        </p>
      ) : (
        <table className="runners">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Last seen</th>
              <th scope="col">Free slots</th>
              <th scope="col">Running goals</th>
              <th scope="col">Version</th>
              <th scope="col">Machine</th>
              <th scope="col">Claude Code</th>
            </tr>
          </thead>
          <tbody>
            {list.map((runner) => (
              <tr key={runner.name} data-testid={`runner-${runner.name}`}>
                <th scope="row">{runner.name}</th>
                <td data-testid="runner-state">{stateOf(runner)}</td>
                <td>{formatDateTime(runner.lastSeen)}</td>
                <td>
                  {runner.freeSlots} of {runner.maxSlots}
                </td>
                <td>{runner.runningGoalIds.length}</td>
                <td>{runner.version}</td>
                <td>
                  {runner.hostname} ({runner.os})
                </td>
                <td className="mono">{runner.claudeBinary ?? 'not found'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
