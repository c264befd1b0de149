// The app's version, read once from the package.json this code ships with (found by walking up
// from this module: works from the sources, from out/ and inside the desktop app archive).
// The file is checked by hand rather than with a zod schema: `overseer --version` loads this module
// alone, and zod would more than double its time.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The name and version a package.json's text declares, or null when it declares no such pair. */
export function packageIdentity(text: string): { name: string; version: string } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('name' in value) || !('version' in value)) return null;
  const { name, version } = value;
  return typeof name === 'string' && typeof version === 'string' ? { name, version } : null;
}

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const identity = packageIdentity(readFileSync(candidate, 'utf8'));
      if (identity?.name === 'overseer') return identity.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0-unknown';
}

export const OVERSEER_VERSION = findVersion();
