// The diff of a post checkpoint against its turn's pre checkpoint, started before the driver asks
// for it (see GitWorkspaceManager.checkpoint): what the manager keeps of it per goal
// (SpeculativeDiffs), which checkpoint it is taken against, and the snapshot readers that start it
// beside write-tree.
import type { DiffFileStat } from '../../shared/domain/goal.js';
import { diffFiles, prepareIndexDiff, type PreparedDiff } from './diff-stat.js';
import type { GitRunner } from './git.js';
import { checkpointOrder, type CheckpointInfo } from './refs.js';
import type { SnapshotReaders } from './snapshot.js';

/** A post checkpoint's diff against its turn's pre, started from the private index (see checkpoint). */
export interface EarlyDiff {
  from: string;
  files: Promise<DiffFileStat[]>;
}

interface SpeculativeDiff {
  from: string;
  toTree: string;
  /** The commit of `toTree`, once written. */
  to: string | null;
  files: Promise<DiffFileStat[]>;
}

/** The one diff started early per goal, until diffStat takes it or the goal is forgotten. */
export class SpeculativeDiffs {
  private readonly byGoal = new Map<string, SpeculativeDiff>();

  /** Waits for the goal's diff started early (it may read the private index) before the index is written again. */
  async settle(goalId: string): Promise<void> {
    await this.byGoal.get(goalId)?.files.catch(() => undefined);
  }

  /** A checkpoint's early diff, against the snapshot of `toTree`. */
  keep(goalId: string, early: EarlyDiff, toTree: string): void {
    this.byGoal.set(goalId, { ...early, toTree, to: null });
  }

  /** An early diff of a checkpoint that failed: kept so that `settle` waits for it (it matches no pair). */
  keepUntilSettled(goalId: string, early: EarlyDiff | null): void {
    if (early !== null) this.keep(goalId, early, '');
  }

  /** Starts the diff `from` → `toTree` now, for a checkpoint that had no early diff. */
  start(git: GitRunner, goalId: string, top: string, from: string, toTree: string): void {
    const files = diffFiles(git, top, from, toTree, [], { direct: true });
    files.catch(() => undefined); // a failure only means diffStat runs the diff itself
    this.keep(goalId, { from, files }, toTree);
  }

  /** The snapshot of `tree` was written as the commit `sha`. */
  written(goalId: string, tree: string, sha: string): void {
    const speculative = this.byGoal.get(goalId);
    if (speculative !== undefined && speculative.toTree === tree) speculative.to = sha;
  }

  /**
   * The files of the diff `from` → `to` (a commit or a tree) when one was started for exactly that
   * pair (handed over once); null when none was, or it failed.
   */
  async take(goalId: string, from: string, to: string): Promise<DiffFileStat[] | null> {
    const speculative = this.byGoal.get(goalId);
    if (
      speculative === undefined ||
      speculative.from !== from ||
      (speculative.to !== to && speculative.toTree !== to)
    ) {
      return null;
    }
    this.byGoal.delete(goalId);
    return speculative.files.catch(() => null);
  }

  forget(goalId: string): void {
    this.byGoal.delete(goalId);
  }
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
