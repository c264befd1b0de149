// After a crash: the Claude Code processes of turns that were running are still recorded, and
// their Bash tool shells run in sessions of their own, out of reach of the process-group signal
// recovery sends. Before recovery stops the recorded processes we note their whole trees, and
// afterwards kill whatever of those trees is still alive.
import type { Stores } from '../store/index.js';
import { processStartTime } from '../store/index.js';
import { readProcessTable, type ProcessInfo, relatedProcesses } from '../driver/index.js';

/** The live descendants (and session/group members) of recorded turn processes. */
export async function orphanCandidates(stores: Stores): Promise<ProcessInfo[]> {
  const roots = new Set(
    stores.transcripts
      .recordedProcesses()
      .filter((record) => processStartTime(record.pid) === record.processStartedAt)
      .map((record) => record.pid),
  );
  if (roots.size === 0) return [];
  return relatedProcesses(await readProcessTable(), roots);
}

/** Kills those of `candidates` that still run as the same process (start time unchanged). */
export async function killOrphans(candidates: readonly ProcessInfo[]): Promise<number> {
  if (candidates.length === 0) return 0;
  const now = new Map((await readProcessTable()).map((proc) => [proc.pid, proc]));
  let killed = 0;
  for (const candidate of candidates) {
    const current = now.get(candidate.pid);
    if (current === undefined || current.startTime !== candidate.startTime) continue;
    try {
      process.kill(candidate.pid, 'SIGKILL');
      killed += 1;
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}
