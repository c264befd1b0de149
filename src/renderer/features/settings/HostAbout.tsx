// Settings → About: the host's version, mode and data directory, and the connection checks (a ping
// and the heartbeat count) that used to sit on the home page.
import { useState } from 'react';
import { api } from '../../api';
import { useConnection } from '../../state/connection';
import { useAppInfo } from '../../state/queries';

export function HostAbout() {
  const info = useAppInfo();
  const heartbeats = useConnection((state) => state.heartbeats);
  const [pingAnswer, setPingAnswer] = useState<string | null>(null);
  const ping = async (): Promise<void> => {
    const nonce = Math.random().toString(36).slice(2);
    const result = await api.invoke('ping', { nonce });
    setPingAnswer(
      result.ok ? `pong ${result.value.nonce} at ${result.value.receivedAt}` : `error: ${result.error.message}`,
    );
  };
  return (
    <>
      {info.isError && <p role="alert">Could not reach the host: {info.error.message}</p>}
      {info.data !== undefined && (
        <dl className="info" aria-label="App info">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.data.version}</dd>
          <dt>Mode</dt>
          <dd data-testid="app-mode">{info.data.mode}</dd>
          <dt>Data directory</dt>
          <dd className="mono">{info.data.dataDir}</dd>
        </dl>
      )}
      <p className="controls">
        <button type="button" onClick={() => void ping()}>
          Ping host
        </button>
        <span data-testid="heartbeats" className="hint">
          Heartbeats received: {heartbeats}
        </span>
      </p>
      {pingAnswer !== null && <p data-testid="ping-answer">{pingAnswer}</p>}
    </>
  );
}
