// What Claude is told after the operator reverted a file or a hunk of its work, and how the note
// reaches the next turn: added to a pending rollback's note (the same "files rolled back" block a
// rollback leads the next prompt with), else queued as a note for a running goal's next turn, else
// (the goal has ended) taken from the event log when the goal is continued: every revert since the
// goal's last turn started leads the continuing turn's note.
import type { DriverEvent } from '../../shared/events.js';
import type { Stores } from '../store/index.js';

type RevertEvent = Extract<DriverEvent, { kind: 'file_reverted' }>;

/** How much of a reverted hunk the note quotes. */
const MAX_QUOTED_HUNK = 4000;

function changeName(turnIndex: number | null): string {
  return turnIndex === null ? 'this goal’s changes' : `turn ${turnIndex + 1}’s changes`;
}

/** The note for one revert; `hunkText` is the hunk's patch lines (quoted so Claude sees what was undone). */
export function revertNote(event: Pick<RevertEvent, 'path' | 'hunk' | 'turnIndex'>, hunkText: string | null): string {
  if (event.hunk === null) {
    return `The operator reverted ${event.path}: ${changeName(event.turnIndex)} to it are undone in the working tree. Do not redo them unless asked; read the file before relying on it.`;
  }
  const lines = [
    `The operator reverted one hunk of ${event.path} (hunk ${event.hunk} of ${changeName(event.turnIndex)} to it); that part is undone in the working tree. Do not redo it unless asked.`,
  ];
  if (hunkText !== null && hunkText.trim() !== '') {
    const text =
      hunkText.length > MAX_QUOTED_HUNK ? `${hunkText.slice(0, MAX_QUOTED_HUNK)}\n… (cut)` : hunkText.trimEnd();
    lines.push(`The undone hunk:\n\`\`\`diff\n${text}\n\`\`\``);
  }
  return lines.join('\n');
}

const PAGE = 500;

/**
 * Notes for the reverts recorded since the goal's last turn started or it was last continued
 * (oldest first). Hunks are named, not quoted: the patch is not kept in the event.
 */
export function revertNotesSinceLastTurn(stores: Pick<Stores, 'events'>, goalId: string): string[] {
  const found: string[] = [];
  let before: number | undefined;
  for (;;) {
    const page = stores.events.eventsForGoal(goalId, {
      limit: PAGE,
      ...(before !== undefined ? { beforeSeq: before } : {}),
    });
    for (let index = page.length - 1; index >= 0; index -= 1) {
      const { event } = page[index] as (typeof page)[number];
      if (event.kind === 'attempt_started' || event.kind === 'goal_continued') return found.reverse();
      if (event.kind === 'file_reverted') found.push(revertNote(event, null));
    }
    if (page.length < PAGE) return found.reverse();
    before = page[0]?.seq;
  }
}

/** The continuing turn's note: pending revert notes first (unless a rollback's note carries them), then the operator's. */
export function withRevertNotes(
  stores: Pick<Stores, 'events' | 'sessionRewinds'>,
  goalId: string,
  note: string,
): string {
  if (stores.sessionRewinds.pending(goalId) !== null) return note;
  const notes = revertNotesSinceLastTurn(stores, goalId);
  return notes.length === 0 ? note : [...notes, note].join('\n\n');
}
