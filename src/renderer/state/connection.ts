// Live connection state (zustand): transport status and the latest heartbeat.
// `needsAccess` is true when the tab cannot authenticate (no token, or the host refused it).
import { create } from 'zustand';
import { api, type ConnectionStatus } from '../api';

interface ConnectionState {
  status: ConnectionStatus;
  lastHeartbeat: string | null;
  heartbeats: number;
}

export const useConnection = create<ConnectionState>(() => ({
  status: 'connecting',
  lastHeartbeat: null,
  heartbeats: 0,
}));

/** The tab cannot talk to the host until the operator opens the URL `overseer serve` printed. */
export function needsAccess(status: ConnectionStatus): status is 'no-token' | 'token-refused' {
  return status === 'no-token' || status === 'token-refused';
}

api.onStatus((status) => useConnection.setState({ status }));
api.subscribe((event) => {
  if (event.channel === 'host.heartbeat') {
    useConnection.setState((state) => ({ lastHeartbeat: event.payload.at, heartbeats: state.heartbeats + 1 }));
  }
});
