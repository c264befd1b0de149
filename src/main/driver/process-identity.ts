// Process identity, in one place: reading a process's entry (Linux /proc/<pid>/stat, elsewhere `ps`),
// and naming a process by its pid AND its start time, because pids are reused. On Linux the start time
// is the boot id plus the start in clock ticks; on macOS what `ps -o lstart=` prints. The driver's
// process-tree tracking, the store's crash recovery, the host's lock and endpoint files and the CLI's
// hard stop all use this module, so "is this still the process we recorded?" has one answer.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { platform } from 'node:os';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Start time in clock ticks since boot (Linux); null when unknown. Guards against pid reuse. */
  startTime: number | null;
  /** Exited but not yet reaped (a zombie, or dead): nothing left to kill. */
  exited?: boolean;
}

interface ProcStat extends ProcessInfo {
  /** R, S, D, Z (zombie), X (dead), … */
  state: string;
}

/** Fields of /proc/<pid>/stat (the command name may itself contain spaces and parentheses). */
function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // fields[0] = state, [1] = ppid, [2] = pgrp, [3] = session, ..., [19] = starttime
  const state = fields[0] ?? '';
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  const sid = Number(fields[3]);
  const ticks = fields[19];
  if (state === '' || ![pid, ppid, pgid, sid].every(Number.isInteger)) return null;
  const startTime = ticks !== undefined && /^\d+$/.test(ticks) ? Number(ticks) : null;
  return { pid, ppid, pgid, sid, startTime, state };
}

const gone = (state: string): boolean => state === 'Z' || state === 'X';

/** Parses the text of /proc/<pid>/stat. */
export function parseProcStat(text: string): ProcessInfo | null {
  const stat = parseStat(text);
  if (stat === null) return null;
  const { state, ...info } = stat;
  return gone(state) ? { ...info, exited: true } : info;
}

function readStatSync(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Entries read in one go before the event loop gets a turn (a few hundred microseconds each batch). */
const PROC_BATCH = 64;

/**
 * Every process's /proc/<pid>/stat. The files are read synchronously, in batches with a yield to the
 * event loop between them: a /proc read is answered from the kernel's memory at once, and going
 * through the thread pool per file (open, stat, read, close) cost several times the CPU, which a
 * process-tree poll pays every few hundred milliseconds of a turn, beside Claude on the same cores.
 */
async function readProcTable(): Promise<ProcessInfo[]> {
  const names = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const rows: ProcessInfo[] = [];
  for (let start = 0; start < names.length; start += PROC_BATCH) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const name of names.slice(start, start + PROC_BATCH)) {
      let text: string;
      try {
        text = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue; // exited while we looked
      }
      const row = parseProcStat(text);
      if (row !== null) rows.push(row);
    }
  }
  return rows;
}

function readPsTable(): Promise<ProcessInfo[]> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-A', '-o', 'pid=', '-o', 'ppid=', '-o', 'pgid=', '-o', 'sess='],
      { timeout: 5000 },
      (error, stdout) => {
        if (error !== null) {
          resolve([]);
          return;
        }
        const rows: ProcessInfo[] = [];
        for (const line of stdout.split('\n')) {
          const [pid, ppid, pgid, sid] = line.trim().split(/\s+/).map(Number);
          if ([pid, ppid, pgid, sid].every((value) => Number.isInteger(value))) {
            rows.push({ pid: pid ?? 0, ppid: ppid ?? 0, pgid: pgid ?? 0, sid: sid ?? 0, startTime: null });
          }
        }
        resolve(rows);
      },
    );
  });
}

/** A snapshot of every process on the machine. */
export async function readProcessTable(): Promise<ProcessInfo[]> {
  if (process.platform === 'linux') return readProcTable();
  return readPsTable();
}

/** Whether `pid` still runs (a zombie does not count). */
export async function isRunning(pid: number): Promise<boolean> {
  if (process.platform === 'linux') {
    try {
      const stat = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
      return stat !== null && !gone(stat.state);
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
    const stat = readStatSync(pid);
    if (stat === null || gone(stat.state) || stat.startTime === null) return null;
    return `linux:${bootId()}:${stat.startTime}`;
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

/** Whether `pid` leads its process group: true/false on Linux, null (unknown) elsewhere. */
function leadsGroup(pid: number): boolean | null {
  if (platform() !== 'linux') return null;
  const stat = readStatSync(pid);
  return stat === null ? false : stat.pgid === pid;
}

/**
 * Signals the group `pid` leads, else the process itself. Where leadership cannot be read (not Linux),
 * `groupWhenUnknown` says whether to try the group first.
 */
function signal(pid: number, sig: NodeJS.Signals, groupWhenUnknown: boolean): void {
  const group = leadsGroup(pid) ?? groupWhenUnknown;
  if (group) {
    try {
      process.kill(-pid, sig);
      return;
    } catch {
      // Not a group leader after all, or gone: try the process itself.
    }
  }
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone, or not ours: the caller checks what is left.
  }
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
  signal(pid, 'SIGTERM', false);
  if (await waitUntilGone(pid, startTime, options.graceMs ?? 2000)) return 'terminated';
  if (processStartTime(pid) !== startTime) return 'terminated';
  signal(pid, 'SIGKILL', false);
  return (await waitUntilGone(pid, startTime, options.killWaitMs ?? 2000)) ? 'killed' : 'survived';
}

/**
 * SIGKILLs the process `pid` that started at `startTime` (its group when it leads one), at once and
 * synchronously (for a last-moment stop such as a second Ctrl-C). A pid that names another process
 * now is left alone. Returns whether a signal was sent.
 */
export function killNow(pid: number, startTime: string): boolean {
  if (processStartTime(pid) !== startTime) return false;
  signal(pid, 'SIGKILL', true);
  return true;
}
