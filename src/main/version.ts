// The app's version, read once from the package.json this code ships with (found by walking up
// from this module: works from the sources, from out/ and inside the desktop app archive).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const PackageJsonSchema = z.object({ name: z.string(), version: z.string() });

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = PackageJsonSchema.safeParse(JSON.parse(readFileSync(candidate, 'utf8')));
      if (parsed.success && parsed.data.name === 'overseer') return parsed.data.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0-unknown';
}

export const OVERSEER_VERSION = findVersion();
