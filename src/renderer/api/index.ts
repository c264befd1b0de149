// Picks the transport once at start: the Electron preload when present, else the browser-mode
// WebSocket (token from the URL, kept for reloads in sessionStorage).
import { createIpcApi } from './ipc-transport';
import { createWsApi } from './ws-transport';
import type { Api, PreloadBridge } from './types';

declare global {
  interface Window {
    overseer?: PreloadBridge;
  }
}

function browserSocketUrl(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem('overseer.token', fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest === '' ? '' : `?${rest}`}${window.location.hash}`);
  }
  const token = fromUrl ?? sessionStorage.getItem('overseer.token') ?? '';
  return `ws://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
}

export function createApi(): Api {
  return window.overseer !== undefined ? createIpcApi(window.overseer) : createWsApi(browserSocketUrl());
}

export const api: Api = createApi();
export type { Api, ConnectionStatus } from './types';
