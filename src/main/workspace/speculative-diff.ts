// The diff of a post checkpoint against its turn's pre checkpoint, started before the driver asks
// for it (see GitWorkspaceManager.checkpoint): what the manager keeps of it per goal, which
// checkpoint it is taken against, and the snapshot readers that start it beside write-tree.
import type { DiffFileStat } from '../../shared/domain/goal.js';
import { prepareIndexDiff, type PreparedDiff } from './diff-stat.js';
import type { GitRunner } from './git.js';
import { checkpointOrder, type CheckpointInfo } from './refs.js';
import type { SnapshotReaders } from './snapshot.js';

/** A post checkpoint's diff against its turn's pre, started from the private index (see checkpoint). */
export interface EarlyDiff {
  from: string;
  files: Promise<DiffFileStat[]>;
}

export interface SpeculativeDiff {
  from: string;
  toTree: string;
  /** The commit of `toTree`, once written. */
  to: string | null;
  files: Promise<DiffFileStat[]>;
}

/** The pre checkpoint of `turnIndex`, when it is the last checkpoint before that turn's post. */
export function preOfTurn(checkpoints: CheckpointInfo[], turnIndex: number): CheckpointInfo | undefined {
  const earlier = checkpoints.filter((checkpoint) => checkpointOrder(checkpoint, { turnIndex, phase: 'post' }) < 0);
  const previous = earlier[earlier.length - 1];
  return previous !== undefined && previous.turnIndex === turnIndex && previous.phase === 'pre' ? previous : undefined;
}

/**
 * Snapshot readers that run the diff `from` → the snapshot through the private index beside
 * write-tree: its process is prepared while `add -A` runs and started once the index is written.
 * `started` is that diff once started (a failure only means diffStat runs the diff itself);
 * `cancel` drops one prepared for an `add -A` that failed (it never runs git).
 */
export function earlyDiffReaders(
  git: GitRunner,
  top: string,
  from: string,
): { readers: SnapshotReaders; started: () => EarlyDiff | null; cancel: () => void } {
  let prepared: PreparedDiff | null = null;
  let started: EarlyDiff | null = null;
  return {
    readers: {
      whileAdding: (indexFile) => {
        prepared?.cancel();
        prepared = prepareIndexDiff(git, top, from, indexFile);
      },
      afterAdd: (indexFile) => {
        const diff = prepared ?? prepareIndexDiff(git, top, from, indexFile);
        prepared = null;
        diff.start();
        started = { from, files: diff.files };
      },
    },
    started: () => started,
    cancel: () => prepared?.cancel(),
  };
}
