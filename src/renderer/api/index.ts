// Picks the transport once at start: the Electron preload when present, else the browser-mode
// WebSocket (token from the URL, kept for reloads of this tab in sessionStorage, sent only on the
// socket's handshake).
import { createIpcApi } from './ipc-transport';
import { isTokenShaped, SOCKET_PATH } from '../../shared/socket-auth';
import { createWsApi } from './ws-transport';
import type { Api, PreloadBridge } from './types';

declare global {
  interface Window {
    overseer?: PreloadBridge;
  }
}

const TOKEN_KEY = 'overseer.token';

/**
 * The token this tab authenticates with: taken from `?token=` in the URL it was opened with (then
 * removed from the address bar), kept in sessionStorage for reloads of this tab only. An empty or
 * malformed `?token=` never replaces a stored one. Null when the tab has none.
 */
function browserToken(): string | null {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    if (isTokenShaped(fromUrl)) sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${rest === '' ? '' : `?${rest}`}${window.location.hash}`,
    );
  }
  const stored = sessionStorage.getItem(TOKEN_KEY);
  return stored !== null && isTokenShaped(stored) ? stored : null;
}

export function createApi(): Api {
  return window.overseer !== undefined
    ? createIpcApi(window.overseer)
    : createWsApi(`ws://${window.location.host}${SOCKET_PATH}`, browserToken());
}

export const api: Api = createApi();
export type { Api, ConnectionStatus } from './types';
