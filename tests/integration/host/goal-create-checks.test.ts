// A new goal's acceptance checks and tool options are checked before anything runs: goal.create
// refuses a bad regex, a path outside the worktree, an empty command and a missing extra directory
// with a clear message per field, records nothing and sends Claude nothing; a good goal keeps its
// tool options. `overseer run` refuses the same with exit 1.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../../src/main/host/host.js';
import { tsxImportArgs } from '../../../src/main/permission/source-bridge.js';
import type { FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { fixtureRepo, hostWithFakeModel, type HostWithModel } from './support.js';

let root: string;
let fake: FakeModel;
let host: Host;
let setup: HostWithModel | undefined;

beforeAll(async () => {
  setup = await hostWithFakeModel('overseer-create-checks-', () => ({ text: 'done' }));
  ({ root, fake, host } = setup);
});
afterAll(async () => {
  await setup?.close();
});

describe('goal.create checks', () => {
  it('refuses bad checks and options before any turn, naming each field', async () => {
    const repo = fixtureRepo(root);
    const result = await host.dispatcher.invoke(
      'goal.create',
      {
        description: 'x',
        repoPath: repo,
        acceptance: [
          { kind: 'shell_command', command: '   ', expectedExit: 0, stdoutMustMatch: null, timeoutSecs: 30 },
          { kind: 'file_matches', path: '../../etc/passwd', regex: 'root', required: true },
          { kind: 'file_matches', path: 'a.txt', regex: '(unclosed', required: true },
        ],
        tools: { allowed: [], disallowed: [], addDirs: [join(root, 'no-such-dir')], appendSystemPrompt: null },
      },
      { transport: 'local' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_payload');
    expect(result.error.message).toBe('acceptance 1 (shell_command): the command is empty (and 3 more problems)');
    expect(JSON.stringify(result.error)).toContain('../../etc/passwd is outside the worktree');
    expect(JSON.stringify(result.error)).toContain('bad regex /(unclosed/: Unterminated group');
    expect(JSON.stringify(result.error)).toContain('no-such-dir does not exist or is not a folder');
    expect(host.stores.goals.list()).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('a good goal keeps its tool options', async () => {
    const repo = fixtureRepo(root);
    const result = await host.dispatcher.invoke(
      'goal.create',
      {
        description: 'x',
        repoPath: repo,
        acceptance: [{ kind: 'no_paths_touched', globs: ['secrets/'] }],
        tools: { allowed: ['Read'], disallowed: ['WebFetch'], addDirs: [root], appendSystemPrompt: 'Be brief.' },
        start: false,
      },
      { transport: 'local' },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { goalId } = result.value as { goalId: string };
    expect(host.stores.goals.get(goalId)?.goal.tools).toEqual({
      allowed: ['Read'],
      disallowed: ['WebFetch'],
      addDirs: [root],
      appendSystemPrompt: 'Be brief.',
    });
  });
});

describe('overseer run checks', () => {
  it('exits 1 with the problem before creating anything', async () => {
    const repo = fixtureRepo(root);
    const cli = new URL('../../../src/main/cli/overseer.ts', import.meta.url).pathname;
    const env = {
      ...claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config-cli') }),
      OVERSEER_HOME: join(root, 'cli-data'),
    };
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          ...tsxImportArgs(),
          cli,
          'run',
          '--repo',
          repo,
          '--goal',
          'x',
          '--permissions',
          'allow',
          '--claude',
          claudeBin,
          '--accept-file',
          '../outside.txt:x',
          '--accept',
          'true',
          '--accept-stdout',
          '(?x)a',
        ],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('acceptance 1 (file_matches): ../outside.txt is outside the worktree');
    expect(result.stderr).toContain(
      'acceptance 2 (shell_command): bad stdout regex /(?x)a/: unsupported inline flag "x" (use i, m or s)',
    );
    expect(fake.requests).toEqual([]);
  }, 180_000);
});
