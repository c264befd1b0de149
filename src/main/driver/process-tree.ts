// Process-tree tracking for a Claude turn: Claude Code runs Bash tool shells in their own session, so
// killing the CLI's process group does not reach them. While the CLI runs we record every process
// descended from it (by parent chain, or by sharing a session or group with one), and after it exits
// we kill whatever of them is still alive. Reading processes and telling a reused pid apart is
// process-identity.ts's job.
import { readFileSync } from 'node:fs';
import { isRunning, parseProcStat, readProcessTable, type ProcessInfo } from './process-identity.js';

/**
 * The processes belonging to `rootPid` in `table`: its descendants by parent chain, plus any process
 * whose session or process group is led by one of them (and their descendants), iterated to a fixpoint.
 */
export function relatedProcesses(table: readonly ProcessInfo[], rootPids: ReadonlySet<number>): ProcessInfo[] {
  const members = new Set<number>(rootPids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of table) {
      if (members.has(proc.pid)) continue;
      if (members.has(proc.ppid) || members.has(proc.sid) || members.has(proc.pgid)) {
        members.add(proc.pid);
        grew = true;
      }
    }
  }
  return table.filter((proc) => members.has(proc.pid) && !rootPids.has(proc.pid));
}

/** Waits (bounded) until every pid has died, so callers can rely on "nothing left running". */
async function waitForDeath(pids: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...pids];
  while (pending.length > 0 && Date.now() < deadline) {
    const alive = await Promise.all(pending.map(async (pid) => ((await isRunning(pid)) ? pid : null)));
    pending = alive.filter((pid): pid is number => pid !== null);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Records the process tree of one running process and kills its leftovers. */
export class ProcessTreeTracker {
  /** Recorded descendants, by pid (with start time to tell a reused pid apart). */
  private readonly seen = new Map<number, ProcessInfo>();
  /** The root's start time, from the first snapshot that saw it (tells a reused root pid apart). */
  private rootStartTime: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly rootPid: number,
    private readonly pollMs: number = process.platform === 'linux' ? 400 : 1000,
  ) {
    // the root was just spawned: its start time now is the one to compare with later
    if (process.platform === 'linux') {
      try {
        this.rootStartTime = parseProcStat(readFileSync(`/proc/${rootPid}/stat`, 'utf8'))?.startTime ?? null;
      } catch {
        // already gone: the first snapshot that sees the pid decides
      }
    }
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    void this.poll();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** pids recorded so far (tests and diagnostics). */
  recordedPids(): number[] {
    return [...this.seen.keys()];
  }

  /** Recorded pids that are still the same process in `table`. */
  private stillAlive(table: readonly ProcessInfo[]): number[] {
    const alive: number[] = [];
    for (const proc of table) {
      const recorded = this.seen.get(proc.pid);
      if (recorded === undefined) continue;
      if (recorded.startTime !== null && proc.startTime !== null && recorded.startTime !== proc.startTime) continue;
      alive.push(proc.pid);
    }
    return alive;
  }

  /** Whether the root's pid now names another process (the root exited and its pid was given out again). */
  private rootReused(table: readonly ProcessInfo[]): boolean {
    const now = table.find((proc) => proc.pid === this.rootPid);
    if (now === undefined || now.startTime === null) return false;
    this.rootStartTime ??= now.startTime;
    return now.startTime !== this.rootStartTime;
  }

  /** Takes one snapshot now (also called right before the process is signalled). */
  async poll(): Promise<void> {
    if (this.polling !== null) return this.polling;
    this.polling = (async () => {
      try {
        const table = await readProcessTable();
        const roots = new Set<number>(this.stillAlive(table));
        if (!this.rootReused(table)) roots.add(this.rootPid);
        for (const proc of relatedProcesses(table, roots)) {
          if (!this.seen.has(proc.pid)) this.seen.set(proc.pid, proc);
        }
      } catch {
        // a failed snapshot is retried at the next tick
      } finally {
        this.polling = null;
      }
    })();
    return this.polling;
  }

  /**
   * After the root exited: SIGKILLs every recorded process still alive (same start time) and any
   * process in a session or group one of them led or descended from one. Returns the pids killed.
   */
  async killLeftovers(): Promise<number[]> {
    this.stop();
    if (this.polling !== null) await this.polling;
    const table = await readProcessTable().catch((): ProcessInfo[] => []);
    const anchors = new Set<number>(this.stillAlive(table));
    // A pid is never reused while it still names a live session or group, so members of a session or
    // group led by the root or by a recorded process are ours even if no poll saw them, including
    // when the leader (say a tool's shell) has died and its children were reparented.
    // (pids wrap quickly on a busy machine: 32768 by default)
    const leaders = new Set<number>(this.rootReused(table) ? [] : [this.rootPid]);
    for (const recorded of this.seen.values()) {
      if (recorded.sid === recorded.pid || recorded.pgid === recorded.pid) leaders.add(recorded.pid);
    }
    for (const proc of table) {
      const recorded = this.seen.get(proc.pid);
      // the same pid now names a different process: its session is not ours
      if (recorded?.startTime != null && proc.startTime !== null && recorded.startTime !== proc.startTime)
        leaders.delete(proc.pid);
    }
    for (const proc of table) {
      if (proc.pid === this.rootPid || process.pid === proc.pid) continue;
      if (leaders.has(proc.sid) || leaders.has(proc.pgid)) anchors.add(proc.pid);
    }
    const victims = new Set<number>(anchors);
    for (const proc of relatedProcesses(table, anchors)) victims.add(proc.pid);
    victims.delete(process.pid);
    // a zombie is already dead (its parent has not reaped it yet): it is not a leftover
    for (const proc of table) if (proc.exited === true) victims.delete(proc.pid);
    const killed: number[] = [];
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // gone already
      }
    }
    await waitForDeath(killed, 2000);
    return killed;
  }
}
