// Shared pieces for host integration tests: fixture repositories and a host wired to the real
// Claude Code CLI running against the fake model.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel, type FakeRequestContext, type FakeScript } from '../../fake-model/server.js';

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

export async function waitFor<T>(
  probe: () => T | null | undefined | false,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A host in a fresh temp folder, driving the real Claude Code CLI against a fake model running `script`. */
export interface HostWithModel {
  root: string;
  fake: FakeModel;
  host: Host;
  close(): Promise<void>;
}

export async function hostWithFakeModel(prefix: string, script: FakeScript): Promise<HostWithModel> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const fake = await startFakeModel(script);
  const host = await createHost({
    mode: 'browser',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { env: claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }) },
  });
  return {
    root,
    fake,
    host,
    async close() {
      await host.close();
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
