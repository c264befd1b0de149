// Live connection state (zustand): transport status and the latest heartbeat.
import { create } from 'zustand';
import { api, type ConnectionStatus } from '../api';

interface ConnectionState {
  status: ConnectionStatus;
  lastHeartbeat: string | null;
  heartbeats: number;
}

export const useConnection = create<ConnectionState>(() => ({ status: 'connecting', lastHeartbeat: null, heartbeats: 0 }));

api.onStatus((status) => useConnection.setState({ status }));
api.subscribe((event) => {
  if (event.channel === 'host.heartbeat') {
    useConnection.setState((state) => ({ lastHeartbeat: event.payload.at, heartbeats: state.heartbeats + 1 }));
  }
});
