// A host driving Claude Code in long-lived mode, killed with SIGKILL while the goal's live Claude
// process waits between turns (its turn replied; acceptance runs), then restarted: startup recovery
// finds the recorded process and stops it, the goal shows as interrupted, and it resumes in a new
// Claude process that goes on from the conversation, to done. The crash host and everything it
// started are killed after the test whatever happens.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../../../src/main/host/host.js';
import { tsxImportArgs } from '../../../src/main/permission/source-bridge.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { guardChild, type ChildGuard } from '../../helpers/spawned-tree.js';
import { isAlive } from '../driver/support/procs.js';
import { fixtureRepo, waitFor } from './support.js';

let root: string;
let fake: FakeModel;
const TEST_TIMEOUT_MS = 300_000;
let guard: ChildGuard | null = null;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-long-lived-restart-'));
  fake = await startFakeModel((ctx) => ({ text: ctx.index === 0 ? 'FIRST-REPLY' : 'Finished.' }));
});
afterEach(async () => {
  await guard?.cleanup();
  guard = null;
});
afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('long-lived mode: host restart', () => {
  it(
    'recovery stops the live process the dead host left between turns; the goal resumes in a new one',
    async () => {
      const dataDir = join(root, 'data');
      const repo = fixtureRepo(root);
      const configDir = join(root, 'claude-config');
      const release = join(root, 'release');
      const marker = `sleep 900.${process.pid}${Date.now() % 1000}`;
      // Acceptance waits (the live process sits between turns) until the release file exists.
      const acceptance = `test -f ${release} || ${marker}`;
      const child = spawn(
        process.execPath,
        [
          ...tsxImportArgs(),
          new URL('./long-lived-crash-host.ts', import.meta.url).pathname,
          dataDir,
          repo,
          fake.url,
          configDir,
          acceptance,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      guard = guardChild(child);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // The sleep itself (the host's argv and the shell's hold the whole command line too).
      const sleeping = (): boolean => {
        try {
          return execFileSync('pgrep', ['-f', `^${marker}$`], { encoding: 'utf8' }).trim() !== '';
        } catch {
          return false;
        }
      };
      await waitFor(sleeping, 'acceptance to be running', 240_000);
      const live = Number(/PROC (\d+)/.exec(output)?.[1]);
      const goalId = /GOAL (\S+)/.exec(output)?.[1];
      expect(goalId).toBeDefined();
      expect(isAlive(live)).toBe(true);
      // Once its host is gone the process reads EOF and would end by itself; stopped (SIGSTOP) it stays
      // alive across the restart, as one that is still busy would, so recovery has to stop it.
      process.kill(live, 'SIGSTOP');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await guard.record();
      child.kill('SIGKILL');
      await exited;
      expect(isAlive(live)).toBe(true);

      writeFileSync(release, '');
      const host = await createHost({
        mode: 'cli',
        dataDir,
        heartbeatMs: 0,
        claudeBinary: claudeBin,
        driver: { claudeProcess: 'long-lived', env: claudeEnv({ baseUrl: fake.url, configDir }) },
      });
      try {
        const stopped = host.recovery.processes.filter((p) => p.goalId === goalId);
        expect(stopped).toEqual([{ goalId, turnIndex: 0, pid: live, result: 'killed' }]);
        await waitFor(() => !isAlive(live), 'the live process to be gone', 60_000);
        expect(host.stores.transcripts.recordedProcesses()).toEqual([]);
        expect(host.stores.goals.get(goalId!)?.status).toBe('interrupted');

        const pids: number[] = [];
        const transcripts = host.stores.transcripts;
        const record = transcripts.recordProcess.bind(transcripts);
        transcripts.recordProcess = (id, turnIndex, pid, startedAt) => {
          pids.push(pid);
          record(id, turnIndex, pid, startedAt);
        };
        const restarted = await host.dispatcher.invoke('goal.restart', { goalId: goalId! }, { transport: 'local' });
        expect(restarted).toEqual({ ok: true, value: { ok: true } });
        const outcome = await host.runner.finished(goalId!);
        expect(outcome?.outcome.kind).toBe('done');
        expect(host.stores.goals.get(goalId!)?.status).toBe('done');
        expect(pids.length).toBeGreaterThan(0);
        expect(pids).not.toContain(live);
        // The new process resumed the conversation the dead host's process had.
        expect(JSON.stringify(fake.requests.at(-1)?.body.messages)).toContain('FIRST-REPLY');
        expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
      } finally {
        await host.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
