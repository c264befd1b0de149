// The console served in browser mode with the REAL Claude Code CLI pointed at the scripted fake
// model: starts the fake model, then `overseer serve` with OVERSEER_CLAUDE_BIN and the fake API's
// environment. restart() stops the server and serves the same data directory again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeBin, claudeEnv } from '../fake-model/claude-env.js';
import { startFakeModel, type FakeModel, type FakeScript } from '../fake-model/server.js';
import { serveConsole, type ServedConsole } from './serve.js';

export interface ConsoleWithModel {
  model: FakeModel;
  served: ServedConsole;
  dataDir: string;
  /** Stops the server (keeping its data) and serves the same data directory again. */
  restart(): Promise<ServedConsole>;
  close(): Promise<void>;
}

export async function consoleWithModel(script: FakeScript): Promise<ConsoleWithModel> {
  const root = mkdtempSync(join(tmpdir(), 'overseer-e2e-journey-'));
  const dataDir = join(root, 'data');
  const model = await startFakeModel(script);
  const env = {
    ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }),
    OVERSEER_CLAUDE_BIN: claudeBin,
  };
  const state = { served: await serveConsole({ dataDir, env }) };
  return {
    model,
    get served() {
      return state.served;
    },
    dataDir,
    async restart() {
      await state.served.stop({ keepData: true });
      state.served = await serveConsole({ dataDir, env });
      return state.served;
    },
    async close() {
      await state.served.stop({ keepData: true });
      await model.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
