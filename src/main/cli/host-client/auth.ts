// How the CLI authenticates to a running host's WebSocket: the ONE place that knows the browser
// server's access check. Today the server takes the token as the `token` query parameter (or the
// cookie the page gets); the Host header `ws` sends (the endpoint's host:port) is the one it
// serves, and no Origin header is sent (the CLI is not a web page).
import { WebSocket } from 'ws';
import type { HostEndpoint } from '../../host/endpoint-file.js';

/** Opens the authenticated socket to `endpoint` (not yet open: wait for 'open'). */
export function openAuthenticatedSocket(endpoint: Pick<HostEndpoint, 'url' | 'token'>, maxPayload: number): WebSocket {
  const url = new URL(endpoint.url);
  url.searchParams.set('token', endpoint.token);
  return new WebSocket(url, { maxPayload, handshakeTimeout: 30_000 });
}
