// "Stop this turn now" through the host's command: the running turn (a Bash tool sleeping) is
// stopped, no tool shell is left behind, and the next turn opens with the operator's note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { fixtureRepo, waitFor } from './support.js';

let root: string;
let fake: FakeModel;
let host: Host;
const marker = `sleep 300.${process.pid}${Date.now() % 1000}`;

const sleeping = (): boolean => {
  try {
    execFileSync('pgrep', ['-f', `^${marker}$`]);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-stop-'));
  fake = await startFakeModel((ctx) =>
    ctx.index === 0
      ? { text: 'Waiting.', toolUses: [{ name: 'Bash', input: { command: marker, description: 'wait' } }] }
      : { text: 'Understood.' },
  );
  host = await createHost({
    mode: 'cli',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { env: claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }), killGraceMs: 2000 },
  });
});
afterAll(async () => {
  await host?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('stop this turn now', () => {
  it('stops the running turn and starts the next one with the note', async () => {
    const created = await host.dispatcher.invoke(
      'goal.create',
      {
        description: 'wait, then listen',
        repoPath: fixtureRepo(root),
        permissionMode: 'allow-all',
        budget: { maxTurns: 3 },
      },
      { transport: 'local' },
    );
    if (!created.ok) throw new Error(created.error.message);
    const { goalId } = z.object({ goalId: z.string() }).parse(created.value);
    await waitFor(() => sleeping(), 'the Bash tool to be running');

    const stopped = await host.dispatcher.invoke(
      'goal.interrupt',
      { goalId, message: 'stop waiting and use the cache', stopTurn: true },
      { transport: 'local' },
    );
    expect(stopped).toEqual({ ok: true, value: { queueDepth: 1 } });

    const next = await waitFor(
      () => fake.requests.find((request) => request.index >= 1),
      'the next turn to reach the model',
    );
    expect(next.allUserText).toContain('[OPERATOR INTERRUPT]');
    expect(next.allUserText).toContain('stop waiting and use the cache');
    expect(sleeping()).toBe(false);
    const outcome = await host.runner.finished(goalId);
    expect(outcome?.outcome.kind).toBe('done');
  });
});
