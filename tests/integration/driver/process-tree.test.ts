// The leftover sweep with real processes: a tool shell in its own session, seen by a poll, starts a
// grandchild after that poll and dies; the grandchild (reparented, never recorded) must still be
// killed, because it stays in the dead shell's session.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessTreeTracker } from '../../../src/main/driver/process-tree.js';
import { isAlive, processesMatching, uniqueSleepSeconds, waitUntil } from './support/procs.js';

const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('ProcessTreeTracker.killLeftovers', () => {
  it('kills a grandchild orphaned by its session leader before any poll saw it', async () => {
    const seconds = uniqueSleepSeconds();
    const dir = mkdtempSync(join(tmpdir(), 'overseer-tree-'));
    const inner = join(dir, 'tool-shell.sh');
    const go = join(dir, 'go');
    // the tool shell: waits for the go file, starts the grandchild in the background and exits
    writeFileSync(inner, `while [ ! -e ${go} ]; do sleep 0.05; done\nsleep ${seconds} &\nexit 0\n`);
    const root = spawn('sh', ['-c', 'setsid sh "$INNER" & wait; sleep 600'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, INNER: inner },
    });
    const rootPid = root.pid ?? 0;
    strays.push(rootPid);
    const tracker = new ProcessTreeTracker(rootPid, 3_600_000); // no periodic polls: only the ones we ask for
    try {
      await waitUntil(() => processesMatching(inner).length > 0, 30_000, 'the session-leader shell');
      await tracker.poll(); // records the shell, not yet the grandchild
      writeFileSync(go, '');
      await waitUntil(
        () => processesMatching(`sleep ${seconds}`).length > 0 && processesMatching(inner).length === 0,
        30_000,
        'the orphaned sleep',
      );
      const sleeper = processesMatching(`sleep ${seconds}`);
      strays.push(...sleeper);
      expect(tracker.recordedPids()).not.toContain(sleeper[0]);
      process.kill(-rootPid, 'SIGKILL');
      await waitUntil(() => !isAlive(rootPid), 30_000, 'the root to die');
      const killed = await tracker.killLeftovers();
      expect(killed).toEqual(expect.arrayContaining(sleeper));
      expect(processesMatching(`sleep ${seconds}`)).toEqual([]);
    } finally {
      tracker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
