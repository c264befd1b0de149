// Review commands: `goal.revert` reverts one file or one hunk of a turn's change (or the goal's whole
// change) in the goal's working tree, refused while a turn runs; records `file_reverted` and tells
// the next turn (see review-notes.ts).
import { isWorkspaceError, splitHunks, type GitWorkspaceManager } from '../../workspace/index.js';
import type { RevertNotice, reviewCommands } from '../../../shared/commands/review.js';
import type { Stores } from '../../store/index.js';
import type { HandlersFor } from '../dispatcher.js';
import { asCommandAsync, HostError } from '../command-error.js';
import type { GoalRunner } from '../goal-runner.js';
import { revertNote } from '../review-notes.js';

export function reviewHandlers(stores: Stores, runner: GoalRunner, workspaces: GitWorkspaceManager) {
  return {
    'goal.revert': async ({ goalId, turnIndex, path, hunk }) => {
      if (runner.isTurnRunning(goalId))
        throw new HostError(
          'failed_precondition',
          'a turn is running: pause the goal and wait for the turn to end, then revert',
        );
      const checkpoints = turnIndex === null ? null : runner.checkpointsOf(goalId, turnIndex);
      if (checkpoints !== null && checkpoints.post === null)
        throw new HostError(
          'failed_precondition',
          `turn ${(turnIndex ?? 0) + 1} has not finished: nothing to revert yet`,
        );
      const { ws } = await runner.workspaceOf(goalId);
      // A turn's change runs from its pre to its post checkpoint; the goal's, from its base to the tree now.
      const from = checkpoints?.pre ?? ws.baseCommit;
      if (from === null) throw new HostError('failed_precondition', 'the workspace has no base commit');
      const to = checkpoints?.post ?? null;
      const result = await asCommandAsync(() =>
        workspaces.revert(ws, from, to, { path, hunk }).catch((error: unknown) => {
          // A path or hunk this change does not have is the request's fault.
          if (isWorkspaceError(error, 'invalid_argument')) throw new HostError('invalid_payload', error.message);
          throw error;
        }),
      );
      const event = { kind: 'file_reverted' as const, goalId, path: result.path, hunk: result.hunk, turnIndex };
      stores.events.appendDurable(event);
      const hunkText = result.hunk === null ? null : (splitHunks(result.patch).hunks[0] ?? null);
      const note = revertNote(event, hunkText);
      let notice: RevertNotice;
      const rewind = stores.sessionRewinds.pending(goalId);
      if (rewind !== null) {
        stores.sessionRewinds.set({ ...rewind, note: `${rewind.note}\n${note}` });
        notice = 'rollback_note';
      } else if (runner.isRunning(goalId)) {
        runner.interrupt(goalId, note, false);
        notice = 'queued_note';
      } else {
        notice = 'on_continue';
      }
      return { path: result.path, hunk: result.hunk, hunks: result.hunks, notice };
    },
  } satisfies HandlersFor<typeof reviewCommands>;
}
