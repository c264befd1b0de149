// Review commands: reverting one file or one hunk of a goal's change (a turn's, or the goal's whole
// change so far) in its working tree. Line comments need no command of their own: they go to Claude
// as a note through `goal.interrupt` (running goal) or `goal.continue` (ended goal).
import { z } from 'zod';
import { GoalIdSchema } from '../domain/goal.js';

/** How the next turn learns about the revert. */
export const RevertNoticeSchema = z.enum([
  /** Added to a pending rollback's note (the next turn's "files rolled back" block). */
  'rollback_note',
  /** Queued as a note for the running goal's next turn. */
  'queued_note',
  /** The goal is not running: the note leads the turn that continues it. */
  'on_continue',
]);
export type RevertNotice = z.infer<typeof RevertNoticeSchema>;

export const reviewCommands = {
  /**
   * Revert a file (hunk null) or one hunk (1-based, in the order the file's patch prints them) of a
   * turn's change (turnIndex) or the goal's whole change so far (turnIndex null), exactly: refused
   * while a turn runs, and when the patch no longer applies to the working tree (nothing changes).
   */
  'goal.revert': {
    request: z
      .object({
        goalId: GoalIdSchema,
        turnIndex: z.number().int().nonnegative().nullable(),
        path: z.string().min(1, 'name the file'),
        hunk: z.number().int().positive().nullable().default(null),
      })
      .strict(),
    response: z.object({
      path: z.string(),
      hunk: z.number().int().positive().nullable(),
      /** How many hunks the file's patch had. */
      hunks: z.number().int().nonnegative(),
      notice: RevertNoticeSchema,
    }),
  },
} as const;

/** The timeline's (and the CLI's) words for a revert. */
export function revertTitle(event: { path: string; hunk: number | null }): string {
  return event.hunk === null ? `You reverted ${event.path}` : `You reverted a hunk of ${event.path}`;
}

/** Which change a revert was taken from, in words. */
export function revertSource(event: { hunk: number | null; turnIndex: number | null }): string {
  const change = event.turnIndex === null ? 'the goal’s changes' : `turn ${event.turnIndex + 1}’s changes`;
  return event.hunk === null ? `from ${change}` : `hunk ${event.hunk}, from ${change}`;
}
