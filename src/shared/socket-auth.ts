// How a client proves it holds the browser-mode token: on the WebSocket handshake only, as a
// subprotocol ("Sec-WebSocket-Protocol: overseer.v1, overseer.token.<token>"). Never a cookie
// (cookies are not isolated by port, so every web app on 127.0.0.1 would receive it) and never in a
// URL the server sees. The server selects `overseer.v1` and never echoes the token back.
//
// A Node client (the `ws` package) connects with:
//   new WebSocket(`ws://127.0.0.1:${port}${SOCKET_PATH}`, socketProtocols(token))
// and no Origin header. A browser page does the same with `new WebSocket(url, socketProtocols(token))`;
// the server then also requires its Origin to be exactly the page's own `http://host:port`.
// A refused token ends the socket right after the handshake with close code TOKEN_REFUSED_CLOSE,
// before any frame, so a client can tell "wrong token" from "host not reachable".

export const SOCKET_PATH = '/ws';
export const SOCKET_PROTOCOL = 'overseer.v1';
export const TOKEN_PROTOCOL_PREFIX = 'overseer.token.';
/** Close code (private range 4000-4999) for a handshake whose token was missing or wrong. */
export const TOKEN_REFUSED_CLOSE = 4401;

/** Tokens are base64url: safe as a subprotocol (an HTTP token) as they are. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;

export function isTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/** The subprotocols a client offers to authenticate with `token`. */
export function socketProtocols(token: string): string[] {
  if (!isTokenShaped(token)) throw new Error('a browser-mode token is base64url (letters, digits, "-" and "_")');
  return [SOCKET_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** The token offered in a Sec-WebSocket-Protocol header value, or null (server side). */
export function tokenFromProtocols(header: string | undefined): string | null {
  if (header === undefined || header.length > 4096) return null;
  let found: string | null = null;
  for (const part of header.split(',')) {
    const value = part.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) {
      if (found !== null) return null;
      found = value.slice(TOKEN_PROTOCOL_PREFIX.length);
    }
  }
  return found;
}
