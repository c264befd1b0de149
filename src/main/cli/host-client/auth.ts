// How the CLI authenticates to a running host's WebSocket: the ONE place that knows the browser
// server's access check. The token travels only in the handshake, as a subprotocol
// (src/shared/socket-auth.ts); the Host header `ws` sends (the endpoint's host:port) is the one the
// server serves, and no Origin header is sent (the CLI is not a web page). A refused token closes
// the socket with TOKEN_REFUSED_CLOSE before any frame.
import { WebSocket } from 'ws';
import { socketProtocols } from '../../../shared/socket-auth.js';
import type { HostEndpoint } from '../../host/index.js';

/** Opens the authenticated socket to `endpoint` (not yet open: wait for 'open'). */
export function openAuthenticatedSocket(endpoint: Pick<HostEndpoint, 'url' | 'token'>, maxPayload: number): WebSocket {
  return new WebSocket(endpoint.url, socketProtocols(endpoint.token), { maxPayload, handshakeTimeout: 30_000 });
}
