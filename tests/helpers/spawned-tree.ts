// Tests that spawn a host (or any child that starts more processes) must leave nothing running,
// whatever happens: a failed assertion, a timeout, a child killed on purpose. guardChild records the
// child's process tree while it runs (the same tracker the driver uses for Claude turns, so
// processes orphaned by a SIGKILL of the child are still known), and `cleanup()` — for afterEach or
// finally — SIGKILLs the child and every recorded process still alive. Only recorded pids are
// touched, never other processes of the machine.
import type { ChildProcess } from 'node:child_process';
import { isRunning } from '../../src/main/driver/process-identity.js';
import { ProcessTreeTracker } from '../../src/main/driver/process-tree.js';

export interface ChildGuard {
  /** Records the tree now (call right before killing the child on purpose). */
  record(): Promise<void>;
  /** pids recorded so far, the child's own included. */
  recordedPids(): number[];
  /** SIGKILLs the child and every recorded descendant still alive; returns the pids it killed. */
  cleanup(): Promise<number[]>;
}

export function guardChild(child: ChildProcess, pollMs = 1000): ChildGuard {
  const rootPid = child.pid;
  if (rootPid === undefined) {
    return { record: async () => undefined, recordedPids: () => [], cleanup: async () => [] };
  }
  const tracker = new ProcessTreeTracker(rootPid, pollMs);
  tracker.start();
  let cleaned: Promise<number[]> | null = null;
  return {
    record: () => tracker.poll(),
    recordedPids: () => [rootPid, ...tracker.recordedPids()],
    cleanup() {
      cleaned ??= (async () => {
        await tracker.poll();
        const killed: number[] = [];
        if (child.exitCode === null && child.signalCode === null && (await isRunning(rootPid))) {
          child.kill('SIGKILL');
          killed.push(rootPid);
        }
        killed.push(...(await tracker.killLeftovers()));
        return killed;
      })();
      return cleaned;
    },
  };
}
