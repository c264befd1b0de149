// Identifying and stopping a process recorded by an earlier host. A pid alone is not enough (pids
// are reused), so a process is named by its pid AND its start time: on Linux the boot id plus the
// start time in clock ticks from /proc/<pid>/stat; on macOS what `ps -o lstart=` prints.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { platform } from 'node:os';

interface ProcStat {
  state: string;
  processGroup: number;
  startTicks: string;
}

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces and parens). */
function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // After "pid (comm) ": state is field 3 (index 0 here), pgrp field 5 (index 2), starttime field 22 (index 19).
  const state = fields[0];
  const processGroup = Number(fields[2]);
  const startTicks = fields[19];
  if (state === undefined || startTicks === undefined || !/^\d+$/.test(startTicks) || !Number.isInteger(processGroup)) {
    return null;
  }
  return { state, processGroup, startTicks };
}

let bootIdCache: string | null | undefined;
function bootId(): string {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache ?? 'unknown-boot';
}

function validPid(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0;
}

/**
 * A string that identifies the running process `pid` for as long as it lives, or null when there
 * is no such live process (zombies count as gone) or the platform gives no way to tell.
 * Record it when the process starts; compare later to know the pid still means that process.
 */
export function processStartTime(pid: number): string | null {
  if (!validPid(pid)) return null;
  const os = platform();
  if (os === 'linux') {
    const stat = readProcStat(pid);
    if (stat === null || stat.state === 'Z' || stat.state === 'X') return null;
    return `linux:${bootId()}:${stat.startTicks}`;
  }
  if (os === 'darwin' || os === 'freebsd') {
    try {
      const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      return out === '' ? null : `${os}:${out}`;
    } catch {
      return null;
    }
  }
  return null;
}

/** The process group of `pid` when known (Linux), else null. */
function processGroupOf(pid: number): number | null {
  if (platform() !== 'linux') return null;
  return readProcStat(pid)?.processGroup ?? null;
}

export type StopResult =
  /** Gone after SIGTERM within the grace period. */
  | 'terminated'
  /** Needed SIGKILL. */
  | 'killed'
  /** Still there after SIGKILL (e.g. not ours to signal). */
  | 'survived';

export interface StopOptions {
  /** How long to wait after SIGTERM before SIGKILL. */
  graceMs?: number;
  /** How long to wait after SIGKILL before giving up. */
  killWaitMs?: number;
}

function signal(pid: number, group: boolean, sig: NodeJS.Signals): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    // Already gone, or not ours: the caller checks what is left.
  }
}

async function waitUntilGone(pid: number, startTime: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (processStartTime(pid) !== startTime) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Stops the process `pid` that started at `startTime` (as processStartTime returned it): SIGTERM
 * to its process group when it leads one (else to the process), then SIGKILL after the grace.
 * Does nothing to a pid whose start time differs (it is another process now) and reports 'terminated'.
 */
export async function stopProcess(pid: number, startTime: string, options: StopOptions = {}): Promise<StopResult> {
  if (processStartTime(pid) !== startTime) return 'terminated';
  const group = processGroupOf(pid) === pid;
  signal(pid, group, 'SIGTERM');
  if (await waitUntilGone(pid, startTime, options.graceMs ?? 2000)) return 'terminated';
  if (processStartTime(pid) !== startTime) return 'terminated';
  signal(pid, group, 'SIGKILL');
  return (await waitUntilGone(pid, startTime, options.killWaitMs ?? 2000)) ? 'killed' : 'survived';
}
