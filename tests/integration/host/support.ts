// Shared pieces for host integration tests: fixture repositories and a host wired to the real
// Claude Code CLI running against the fake model.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeRequestContext } from '../../fake-model/server.js';

export function fixtureRepo(parent: string, files: Record<string, string> = { 'README.md': '# fixture\n' }): string {
  const repo = mkdtempSync(join(parent, 'repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 'T');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(repo, name), content);
  git('add', '.');
  git('commit', '-qm', 'init');
  return repo;
}

/** The working directory Claude Code reports to the model (its environment block). */
export function claudeCwd(ctx: FakeRequestContext): string {
  const match = /working directory: ([^\s\\"]+)/i.exec(JSON.stringify(ctx.body.system ?? '') + ctx.allUserText);
  if (match?.[1] === undefined) throw new Error('the request does not say the working directory');
  return match[1];
}

export async function waitFor<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
