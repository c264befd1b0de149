// Rewinding Claude's conversation with the files. Claude Code 2.1.197 has a hidden print-mode
// option, `--resume-session-at <message uuid>` (with `--resume`): the resumed conversation keeps only
// the messages up to and including that assistant message (the `uuid` of its stream-json line).
// With `--fork-session` the cut conversation gets a new session id and the original stays intact.
// When there is no message to resume at (a rollback to before the first turn) the turn starts a
// fresh session; when the CLI cannot find the message it says "No message found with message.uuid
// of: …" and the driver falls back to a fresh session.
import type { SessionRewind } from './ports.js';

const RESUME_AT_MISSING = 'No message found with message.uuid';

/** How the attempt after a rollback starts Claude: which session to resume and the extra flags. */
export function rewindLaunch(rewind: SessionRewind): { resumeSessionId: string | null; args: string[] } {
  if (rewind.sessionId === null || rewind.resumeAt === null) return { resumeSessionId: null, args: [] };
  return { resumeSessionId: rewind.sessionId, args: ['--resume-session-at', rewind.resumeAt, '--fork-session'] };
}

/** The CLI could not resume at the message (its transcript no longer has it). */
export function isResumeAtMissing(...texts: readonly string[]): boolean {
  return texts.some((text) => text.includes(RESUME_AT_MISSING));
}
