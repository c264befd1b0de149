// The overview when no goal is open: how many goals run and wait, and the host's details (version,
// mode, data directory, a ping and the heartbeat count: the foundation checks of the console).
import { useState } from 'react';
import { api } from '../../api';
import { ErrorText, Loading } from '../../components/bits';
import { useConnection } from '../../state/connection';
import { useAppInfo, useGoals, usePendingPermissions } from '../../state/queries';
import { navigate, setInboxOpen } from '../../state/route';

export function HomeView() {
  const info = useAppInfo();
  const goals = useGoals();
  const pending = usePendingPermissions();
  const heartbeats = useConnection((state) => state.heartbeats);
  const [pingAnswer, setPingAnswer] = useState<string | null>(null);
  const running = (goals.data ?? []).filter((goal) => goal.status === 'running' || goal.status === 'sleeping').length;

  const ping = async (): Promise<void> => {
    const nonce = Math.random().toString(36).slice(2);
    const result = await api.invoke('ping', { nonce });
    setPingAnswer(result.ok ? `pong ${result.value.nonce} at ${result.value.receivedAt}` : `error: ${result.error.message}`);
  };

  return (
    <section className="view home" aria-labelledby="home-title">
      <h2 id="home-title">Overview</h2>
      <p>
        {goals.data === undefined ? '…' : `${goals.data.length} goals, ${running} running.`}{' '}
        {(pending.data?.length ?? 0) > 0 && (
          <button type="button" onClick={() => setInboxOpen(true)}>
            {pending.data?.length} waiting for your decision
          </button>
        )}
      </p>
      <p>
        <button type="button" className="primary" onClick={() => navigate({ view: 'new' })}>
          Start a new goal
        </button>
      </p>
      <h3>Host</h3>
      {info.isPending && <Loading />}
      {info.isError && <p role="alert">Could not reach the host: {info.error.message}</p>}
      <ErrorText error={goals.error} />
      {info.data && (
        <dl className="info" aria-label="App info">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.data.version}</dd>
          <dt>Mode</dt>
          <dd data-testid="app-mode">{info.data.mode}</dd>
          <dt>Data directory</dt>
          <dd>{info.data.dataDir}</dd>
        </dl>
      )}
      <button type="button" onClick={() => void ping()}>
        Ping host
      </button>
      {pingAnswer !== null && <p data-testid="ping-answer">{pingAnswer}</p>}
      <p data-testid="heartbeats">Heartbeats received: {heartbeats}</p>
    </section>
  );
}
