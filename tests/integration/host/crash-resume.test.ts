// A host killed with SIGKILL in the middle of a goal, restarted: every event it acknowledged is
// there, the database is intact, Claude Code left running is stopped, the goal shows as
// interrupted, and it resumes to done. Whatever happens, the crash host and every process it started
// are killed after the test (a failure must not leave them running).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../../../src/main/host/host.js';
import { tsxImportArgs } from '../../../src/main/permission/source-bridge.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { guardChild, type ChildGuard } from '../../helpers/spawned-tree.js';
import { fixtureRepo, waitFor } from './support.js';

let root: string;
let fake: FakeModel;
const marker = `sleep 600.${process.pid}${Date.now() % 1000}`;
/** Two real Claude Code runs and a host restart: generous on a loaded machine (conditions, not sleeps). */
const TEST_TIMEOUT_MS = 300_000;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-crash-'));
  fake = await startFakeModel((ctx) =>
    ctx.index === 0
      ? { text: 'Waiting a while.', toolUses: [{ name: 'Bash', input: { command: marker, description: 'wait' } }] }
      : { text: 'Finished.' },
  );
});
let guard: ChildGuard | null = null;
afterEach(async () => {
  await guard?.cleanup();
  guard = null;
});
afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Running and not a zombie (an orphan's zombie may linger until init reaps it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('crash and resume', () => {
  it(
    'keeps every acknowledged event, stops the orphaned turn, and resumes the interrupted goal',
    async () => {
      const dataDir = join(root, 'data');
      const repo = fixtureRepo(root);
      const configDir = join(root, 'claude-config');
      const child = spawn(
        process.execPath,
        [...tsxImportArgs(), new URL('./crash-host.ts', import.meta.url).pathname, dataDir, repo, fake.url, configDir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      guard = guardChild(child);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const sleepers = (): number[] => {
        try {
          return execFileSync('pgrep', ['-f', `^${marker}$`], { encoding: 'utf8' })
            .trim()
            .split('\n')
            .map(Number);
        } catch {
          return [];
        }
      };
      // Wait until the Bash tool runs inside the turn, then kill the host without warning.
      const [sleeper] = await waitFor(
        () => (sleepers().length > 0 ? sleepers() : null),
        'the Bash tool to be running',
        240_000,
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await guard.record(); // the claude and tool shell the kill orphans are known to the cleanup
      child.kill('SIGKILL');
      await exited;
      const goalId = /GOAL (\S+)/.exec(output)?.[1];
      expect(goalId).toBeDefined();
      const acknowledged = [...output.matchAll(/ACK (\d+) /g)].map((m) => Number(m[1]));
      expect(acknowledged.length).toBeGreaterThan(3);

      const host = await createHost({
        mode: 'cli',
        dataDir,
        heartbeatMs: 0,
        claudeBinary: claudeBin,
        driver: { env: claudeEnv({ baseUrl: fake.url, configDir }) },
      });
      try {
        expect(host.stores.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set(host.stores.events.eventsForGoal(goalId!, { limit: 10_000 }).map((e) => e.seq));
        for (const seq of acknowledged) expect(stored.has(seq)).toBe(true);
        expect(host.recovery.interruptedGoals.map((g) => g.goalId)).toContain(goalId);
        const stopped = host.recovery.processes.filter((p) => p.goalId === goalId);
        expect(stopped.length).toBe(1);
        await waitFor(() => !alive(stopped[0]!.pid), 'the orphaned claude to be gone', 60_000);
        await waitFor(() => !alive(sleeper!), 'its tool shell to be gone', 60_000);
        expect(host.stores.goals.get(goalId!)?.status).toBe('interrupted');

        const restarted = await host.dispatcher.invoke('goal.restart', { goalId: goalId! }, { transport: 'local' });
        expect(restarted).toEqual({ ok: true, value: { ok: true } });
        const outcome = await host.runner.finished(goalId!);
        expect(outcome?.outcome.kind).toBe('done');
        expect(host.stores.goals.get(goalId!)?.status).toBe('done');
      } finally {
        await host.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
