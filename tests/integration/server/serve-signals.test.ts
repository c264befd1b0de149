// `overseer serve` stopped by Ctrl-C while a goal's turn runs a Bash tool: a second Ctrl-C pressed
// while it stops is answered ("Still stopping") instead of killing it half-way, the host exits 0,
// and nothing of the turn (Claude, the tool's `sleep`) is left running.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { builtCli, serveConsole } from '../../helpers/serve.js';
import { guardChild } from '../../helpers/spawned-tree.js';
import { processesMatching, uniqueSleepSeconds, waitUntil } from '../driver/support/procs.js';
import { fixtureRepo } from '../host/support.js';

let root: string;
let model: FakeModel;
const seconds = uniqueSleepSeconds();

beforeAll(async () => {
  if (!existsSync(builtCli)) throw new Error(`build the CLI first (npx electron-vite build): ${builtCli} is missing`);
  root = mkdtempSync(join(tmpdir(), 'overseer-serve-signals-'));
  model = await startFakeModel((ctx) =>
    ctx.index === 0
      ? { toolUses: [{ name: 'Bash', input: { command: `sleep ${seconds}`, description: 'wait' } }] }
      : { text: 'done' },
  );
});
afterAll(async () => {
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('overseer serve and Ctrl-C', () => {
  it(
    'a second SIGINT while stopping is answered, not obeyed: exit 0 and no turn process left',
    { timeout: 300_000 },
    async () => {
      const dataDir = join(root, 'data');
      const env = {
        ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }),
        OVERSEER_CLAUDE_BIN: claudeBin,
      };
      const served = await serveConsole({ dataDir, env });
      const repo = fixtureRepo(root);
      // the CLI as a client of the running console starts the goal there
      const client = spawn(
        process.execPath,
        [
          builtCli,
          'run',
          '--repo',
          repo,
          '--goal',
          'wait a while',
          '--permissions',
          'allow',
          '--max-turns',
          '2',
          '--data-dir',
          dataDir,
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const clientGuard = guardChild(client);
      try {
        await waitUntil(() => processesMatching(`sleep ${seconds}`).length > 0, 120_000, 'the Bash tool sleep');
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          served.process.once('exit', (code, signal) => resolve({ code, signal })),
        );
        served.process.kill('SIGINT');
        await waitUntil(() => served.output().includes('Stopping…'), 60_000, 'the host to start stopping');
        served.process.kill('SIGINT');
        const exit = await exited;
        expect(exit, served.output()).toEqual({ code: 0, signal: null });
        expect(served.output()).toContain('Still stopping');
        expect(processesMatching(`sleep ${seconds}`)).toEqual([]);
        await served.stop();
      } finally {
        await clientGuard.cleanup();
        await served.stop().catch(() => undefined);
      }
    },
  );
});
