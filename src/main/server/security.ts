// Browser-mode access control: the per-launch token, loopback-only binding, and the Host/Origin
// checks that stop DNS-rebinding and cross-site pages from reaching the host.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'overseer_token';

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

function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The Host values we answer to: exactly the address we bound, by IP or by "localhost". */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const hosts = new Set<string>([`${bindHost}:${port}`, `localhost:${port}`]);
  if (bindHost === '::1') hosts.add(`[::1]:${port}`);
  return hosts;
}

/** Checks Host, Origin (when sent) and the token (query `token` or the cookie). */
export function checkAccess(request: IncomingMessage, token: string, hosts: Set<string>): AccessVerdict {
  const host = request.headers.host;
  if (host === undefined || !hosts.has(host)) {
    return { ok: false, status: 403, reason: `refused: Host "${host ?? ''}" is not the one this server serves` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      const parsed = new URL(origin);
      originHost = parsed.protocol === 'http:' ? parsed.host : '';
    } catch {
      originHost = '';
    }
    if (!hosts.has(originHost)) return { ok: false, status: 403, reason: `refused: Origin "${origin}" is not allowed` };
  } else if (origin === 'null') {
    return { ok: false, status: 403, reason: 'refused: Origin "null" is not allowed' };
  }
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const given = url.searchParams.get('token') ?? cookieValue(request.headers.cookie, TOKEN_COOKIE);
  if (!tokensEqual(token, given)) {
    return { ok: false, status: 401, reason: 'refused: missing or wrong token (open the URL printed by `overseer serve`)' };
  }
  return { ok: true };
}
