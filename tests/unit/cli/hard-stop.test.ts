// The CLI's second Ctrl-C: it SIGKILLs the goal's recorded Claude processes, but only while each pid
// still names the process that was recorded (same start time), never a pid reused by someone else.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { killGoalProcesses } from '../../../src/main/cli/goal-session.js';
import { processStartTime } from '../../../src/main/driver/process-identity.js';
import type { ProcessRecord } from '../../../src/main/store/index.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** A long-running node child leading its own process group; resolves once it runs. */
async function groupLeader(): Promise<{ child: ChildProcess; pid: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['-e', "setInterval(() => {}, 1000); console.log('ready');"], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  children.push(child);
  const exited = once(child, 'exit');
  if (child.stdout === null || child.pid === undefined) throw new Error('no child');
  await once(child.stdout, 'data');
  return { child, pid: child.pid, exited };
}

const record = (goalId: string, pid: number, processStartedAt: string): ProcessRecord => ({
  goalId,
  turnIndex: 0,
  pid,
  processStartedAt,
  recordedAt: new Date().toISOString(),
});

const linuxOnly = process.platform === 'linux' ? it : it.skip;

describe('the second Ctrl-C (killGoalProcesses)', () => {
  linuxOnly("kills the goal's recorded process when its start time still matches", async () => {
    const { child, pid, exited } = await groupLeader();
    const started = processStartTime(pid);
    expect(started).not.toBeNull();
    expect(killGoalProcesses([record('goal-a', pid, started ?? '')], 'goal-a')).toEqual([pid]);
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
  });

  linuxOnly(
    "leaves alone a pid whose start time differs (reused by another process) and other goals' processes",
    async () => {
      const { child, pid } = await groupLeader();
      const started = processStartTime(pid) ?? '';
      const reused = record('goal-a', pid, `${started}-earlier-process`);
      const otherGoal = record('goal-b', pid, started);
      expect(killGoalProcesses([reused, otherGoal], 'goal-a')).toEqual([]);
      expect(processStartTime(pid)).toBe(started);
      expect(child.exitCode).toBeNull();
      expect(child.signalCode).toBeNull();
    },
  );
});
