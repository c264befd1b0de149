// The diff of a post checkpoint against its turn's pre checkpoint, started before the driver asks
// for it (see GitWorkspaceManager.checkpoint): what the manager keeps of it per goal, and which
// checkpoint it is taken against.
import type { DiffFileStat } from '../../shared/domain/goal.js';
import { checkpointOrder, type CheckpointInfo } from './refs.js';

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
