// The next checkpoint's `git add -A`, prepared ahead (GitRunner.prepare): a goal's pre checkpoint
// prepares the add of the post checkpoint that follows Claude's turn, so that checkpoint starts git
// without forking the host on its critical path (the fork blocks the event loop for several
// milliseconds, git-spawn.ts). What this module owns: one prepared add per goal at most, used only
// by a snapshot of the same working tree through the same private index, and never left waiting
// for long: it is cancelled when the goal's workspace is deleted or its refs forgotten, when a
// snapshot does not take it, and after PREPARED_ADD_IDLE_MS (a turn that long, or a goal stopped
// after its pre checkpoint, costs only the fork it would have paid anyway). A cancelled one never
// runs git: its waiting shell exits. One still waiting when the host's work is done (a goal that
// ended after a pre checkpoint without its post) does not keep the process alive (git-spawn.ts).
import type { GitRunner, PreparedGitCall } from './git.js';
import { addAllCall } from './snapshot.js';

/** How long a prepared add may wait for its checkpoint before it is cancelled. */
export const PREPARED_ADD_IDLE_MS = 10 * 60_000;

interface PreparedAdd {
  call: PreparedGitCall;
  top: string;
  indexFile: string;
  timer: NodeJS.Timeout;
}

export class PreparedAdds {
  private readonly byGoal = new Map<string, PreparedAdd>();

  /** Prepares the add of the goal's next snapshot (replacing one still waiting). */
  prepare(git: GitRunner, goalId: string, top: string, indexFile: string): void {
    this.cancel(goalId);
    const call = git.prepare(addAllCall(top, indexFile));
    const timer = setTimeout(() => {
      if (this.byGoal.get(goalId)?.call === call) this.cancel(goalId);
    }, PREPARED_ADD_IDLE_MS);
    timer.unref();
    this.byGoal.set(goalId, { call, top, indexFile, timer });
  }

  /** The goal's prepared add when it is for this working tree and index (handed over once), else undefined. */
  take(goalId: string, top: string, indexFile: string): PreparedGitCall | undefined {
    const prepared = this.byGoal.get(goalId);
    if (prepared === undefined) return undefined;
    this.byGoal.delete(goalId);
    clearTimeout(prepared.timer);
    if (prepared.top === top && prepared.indexFile === indexFile) return prepared.call;
    prepared.call.cancel();
    return undefined;
  }

  cancel(goalId: string): void {
    const prepared = this.byGoal.get(goalId);
    if (prepared === undefined) return;
    this.byGoal.delete(goalId);
    clearTimeout(prepared.timer);
    prepared.call.cancel();
  }
}
