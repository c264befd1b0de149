// What the next turn hears after a revert: the note's words, and for an ended goal the reverts
// logged since its last turn started (read from the event log when it is continued), unless a
// pending rollback's note already carries them.
import { afterEach, describe, expect, it } from 'vitest';
import { revertNote, revertNotesSinceLastTurn, withRevertNotes } from '../../../src/main/host/review-notes.js';
import { makeGoal, tempStores } from '../store/helpers.js';

let harness: ReturnType<typeof tempStores> | null = null;
afterEach(() => {
  harness?.cleanup();
  harness = null;
});

describe('revert notes', () => {
  it('name the file, the change it came from and, for a hunk, quote it', () => {
    expect(revertNote({ path: 'src/a.ts', hunk: null, turnIndex: 1 }, null)).toMatch(
      /^The operator reverted src\/a\.ts: turn 2’s changes to it are undone in the working tree\./,
    );
    const hunk = revertNote({ path: 'src/a.ts', hunk: 2, turnIndex: null }, '@@ -3 +3 @@\n-a\n+b\n');
    expect(hunk).toContain('The operator reverted one hunk of src/a.ts (hunk 2 of this goal’s changes to it)');
    expect(hunk).toContain('```diff\n@@ -3 +3 @@\n-a\n+b\n```');
  });

  it('gather the reverts since the last turn started, oldest first, for the continuing turn', () => {
    harness = tempStores();
    const { stores } = harness;
    const goal = makeGoal();
    stores.goals.insert(goal);
    const usage = {
      turns: 0,
      wallTimeMs: 0,
      tokens: 0,
      costUsd: 0,
      consecutiveDenies: 0,
      consecutiveErrors: 0,
      consecutive413: 0,
    };
    stores.events.appendDurable({ kind: 'file_reverted', goalId: goal.id, path: 'old.ts', hunk: null, turnIndex: 0 });
    stores.events.appendDurable({
      kind: 'attempt_started',
      goalId: goal.id,
      turnIndex: 1,
      usage,
      compact: false,
      prompt: 'p',
    });
    expect(revertNotesSinceLastTurn(stores, goal.id)).toEqual([]);
    stores.events.appendDurable({ kind: 'file_reverted', goalId: goal.id, path: 'a.ts', hunk: null, turnIndex: 1 });
    stores.events.appendDurable({ kind: 'file_reverted', goalId: goal.id, path: 'b.ts', hunk: 1, turnIndex: null });
    const notes = revertNotesSinceLastTurn(stores, goal.id);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('reverted a.ts');
    expect(notes[1]).toContain('reverted one hunk of b.ts');
    expect(withRevertNotes(stores, goal.id, 'Go on.')).toBe(`${notes.join('\n\n')}\n\nGo on.`);
    // A pending rollback's note carries them instead.
    stores.sessionRewinds.set({ goalId: goal.id, sessionId: null, resumeAt: null, note: 'rolled back' });
    expect(withRevertNotes(stores, goal.id, 'Go on.')).toBe('Go on.');
  });
});
