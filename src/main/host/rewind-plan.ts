// What a rollback leaves for the goal's next turn so Claude forgets the undone turns too: the last
// assistant message Claude wrote before the restored point (found in the stored stream-json
// transcript: its `uuid` and `session_id`), or, when there is none, a fresh session seeded with the
// compact summary of the work before that point. Either way the next prompt says what was undone.
import { z } from 'zod';
import type { SessionRewind } from '../driver/index.js';
import type { Stores } from '../store/index.js';

const AssistantLineSchema = z.looseObject({
  type: z.literal('assistant'),
  uuid: z.string().min(1),
  session_id: z.string().min(1),
});

/** The last assistant message of the turns before `turnIndex` (exclusive), newest turn first. */
export function lastMessageBefore(
  stores: Pick<Stores, 'transcripts'>,
  goalId: string,
  turnIndex: number,
): { sessionId: string; uuid: string } | null {
  const turns = stores.transcripts
    .turnsWithTranscript(goalId)
    .filter((turn) => turn < turnIndex)
    .sort((a, b) => b - a);
  for (const turn of turns) {
    const lines = stores.transcripts.transcriptForTurn(goalId, turn);
    for (let index = lines.length - 1; index >= 0; index -= 1) {
      const raw = lines[index]?.raw;
      if (raw === undefined || !raw.includes('"assistant"')) continue;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        continue;
      }
      const parsed = AssistantLineSchema.safeParse(json);
      if (parsed.success) return { sessionId: parsed.data.session_id, uuid: parsed.data.uuid };
    }
  }
  return null;
}

/**
 * The rewind after restoring the files to before turn `keptTurns` (0-based: turns 0..keptTurns-1
 * are kept). `lastTurn` is the last turn that had run (for the note).
 */
export function planRewind(
  stores: Pick<Stores, 'transcripts' | 'compactSummaries'>,
  goalId: string,
  keptTurns: number,
  lastTurn: number,
): SessionRewind {
  const first = keptTurns + 1;
  const last = Math.max(first, lastTurn + 1);
  const undone = first === last ? `turn ${first}` : `turns ${first}–${last}`;
  const lines = [
    `The operator rolled the files back to how they were before ${keptTurns === 0 ? 'the first turn' : `turn ${first}`}: the changes of ${undone} are undone.`,
  ];
  const message = keptTurns > 0 ? lastMessageBefore(stores, goalId, keptTurns) : null;
  if (message !== null) {
    lines.push(
      `This conversation was cut back to the end of turn ${keptTurns}; what happened after that did not happen. Check the files before relying on them.`,
    );
    return { goalId, sessionId: message.sessionId, resumeAt: message.uuid, note: lines.join('\n') };
  }
  lines.push(
    'This is a new conversation: earlier work on this goal is not in it. Look at the files to see where things stand.',
  );
  const summary = keptTurns > 0 ? stores.compactSummaries.loadUpTo(goalId, keptTurns) : null;
  if (summary !== null && summary.summary.trim() !== '') {
    lines.push(`Summary of the work before turn ${summary.turnIndex + 1}:\n${summary.summary.trim()}`);
  }
  return { goalId, sessionId: null, resumeAt: null, note: lines.join('\n') };
}
