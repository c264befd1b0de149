// The console shell: title bar with connection status and app info. Goal views arrive with the
// console issue; this is the skeleton every later view mounts into.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import { useConnection } from './state/connection';

function useAppInfo() {
  return useQuery({
    queryKey: ['app.info'],
    queryFn: async () => {
      const result = await api.invoke('app.info', {});
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
  });
}

export function App() {
  const info = useAppInfo();
  const status = useConnection((state) => state.status);
  const heartbeats = useConnection((state) => state.heartbeats);
  const [pingAnswer, setPingAnswer] = useState<string | null>(null);

  const ping = async (): Promise<void> => {
    const nonce = Math.random().toString(36).slice(2);
    const result = await api.invoke('ping', { nonce });
    setPingAnswer(result.ok ? `pong ${result.value.nonce} at ${result.value.receivedAt}` : `error: ${result.error.message}`);
  };

  return (
    <div className="app">
      <header className="titlebar">
        <h1>Overseer</h1>
        <span className={`status status-${status}`} role="status" aria-label="Connection">
          {status}
        </span>
      </header>
      <main className="content">
        {info.isPending && <p>Loading…</p>}
        {info.isError && <p role="alert">Could not reach the host: {info.error.message}</p>}
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
      </main>
    </div>
  );
}
