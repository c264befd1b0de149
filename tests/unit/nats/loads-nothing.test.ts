// Without a NATS URL nothing of NATS loads: the CLI's static import graph (what `overseer` loads
// at start, whatever the command) reaches neither src/main/nats nor an @nats-io package; those
// come only through dynamic import() in the commands that were given a NATS URL.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Value imports (not `import type`, not dynamic) of a TypeScript module. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+'([^']+)';/gms))
    found.push(match[1]!);
  for (const match of source.matchAll(/^import\s+'([^']+)';/gm)) found.push(match[1]!);
  return found;
}

function graph(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.startsWith('/')) continue;
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(target)) stack.push(target);
    }
  }
  return seen;
}

describe('NATS loading', () => {
  it('is not in the static import graph of the CLI or the host', () => {
    for (const entry of ['src/main/cli/overseer.ts', 'src/main/host/host.ts', 'src/main/server/browser-server.ts']) {
      const reached = [...graph(join(repo, entry))];
      expect(reached.length).toBeGreaterThan(5);
      expect(reached.filter((module) => module.includes('/src/main/nats/') || module.startsWith('@nats-io'))).toEqual(
        [],
      );
    }
  });

  it('would notice a static import of NATS (the walker sees the runner modules)', () => {
    const reached = [...graph(join(repo, 'src/main/nats/runner.ts'))];
    expect(reached).toContain('@nats-io/jetstream');
  });
});
