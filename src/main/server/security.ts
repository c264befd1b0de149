// Browser-mode access control: the per-launch token, loopback-only binding, and the Host/Origin
// checks that stop DNS-rebinding and cross-site pages from reaching the host. The page and its
// assets are public (the UI bundle holds no secret); only the WebSocket needs the token, and it
// travels in the handshake's subprotocols (src/shared/socket-auth.ts), never as a cookie.
// Nothing here throws, whatever the request carries.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenFromProtocols } from '../../shared/socket-auth.js';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The Host values we answer to: exactly the address we bound, by IP or by "localhost". */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const hosts = new Set<string>([`${bindHost}:${port}`, `localhost:${port}`]);
  if (bindHost === '::1') hosts.add(`[::1]:${port}`);
  return hosts;
}

/** A header value shortened and stripped of control characters, for a refusal message. */
function shown(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

/**
 * Host must be ours; an Origin, when sent, must be exactly `http://<that Host>` (a page of this
 * server). Applies to every request, page and socket alike.
 */
export function checkHostAndOrigin(request: IncomingMessage, hosts: Set<string>): AccessVerdict {
  const host = request.headers.host;
  if (host === undefined || !hosts.has(host)) {
    return { ok: false, status: 403, reason: `refused: Host "${shown(host ?? '')}" is not the one this server serves` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, status: 403, reason: `refused: Origin "${shown(origin)}" is not allowed` };
  }
  return { ok: true };
}

/** The WebSocket's token check: the token offered as a subprotocol (see src/shared/socket-auth.ts). */
export function checkSocketToken(request: IncomingMessage, token: string): AccessVerdict {
  const given = tokenFromProtocols(request.headers['sec-websocket-protocol']);
  if (!tokensEqual(token, given)) {
    return {
      ok: false,
      status: 401,
      reason: 'refused: missing or wrong token (open the URL printed by `overseer serve`)',
    };
  }
  return { ok: true };
}

/** The path of a request target, or null when it is not an origin-form path we can read. */
export function requestPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://overseer.invalid').pathname;
  } catch {
    return null;
  }
}
