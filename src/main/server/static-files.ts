// Serves the built renderer (out/renderer) to browser mode: safe path resolution, content types,
// and the Content-Security-Policy the desktop window uses too.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Finds out/renderer from the sources (src/main/server) or the build (out/cli). */
export function findRendererDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', 'renderer'),
    join(here, '..', '..', 'renderer'),
    join(here, '..', '..', 'out', 'renderer'),
    join(here, '..', '..', '..', 'out', 'renderer'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

export function contentSecurityPolicy(connectSources: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export type StaticResult =
  { kind: 'file'; file: StaticFile } | { kind: 'not-found' } | { kind: 'bad-request'; reason: string };

/** A URL path decoded, or null when its percent-encoding is malformed or it names a NUL byte. */
export function decodeUrlPath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : decoded;
}

/**
 * Reads a file under `root` for a URL path; index.html for "/" and for unknown routes (SPA).
 * Never throws: a malformed path is a bad request, anything unreadable is not found.
 */
export function readStatic(root: string, urlPath: string): StaticResult {
  const decoded = decodeUrlPath(urlPath.split('?')[0] ?? '/');
  if (decoded === null) return { kind: 'bad-request', reason: 'malformed percent-encoding in the path' };
  try {
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    const base = resolve(root);
    let target = resolve(base, relative === '' ? 'index.html' : relative);
    if (target !== base && !target.startsWith(base + sep)) return { kind: 'not-found' };
    if (!existsSync(target) || !statSync(target).isFile()) {
      if (extname(relative) !== '') return { kind: 'not-found' };
      target = join(base, 'index.html');
    }
    return {
      kind: 'file',
      file: { body: readFileSync(target), contentType: CONTENT_TYPES[extname(target)] ?? 'application/octet-stream' },
    };
  } catch {
    return { kind: 'not-found' };
  }
}
