// Session rewinds: per goal, the one pending "forget the undone turns" instruction a rollback left
// for the next turn (which session, which message to resume at, the note for the prompt). The host
// writes it at rollback; the driver reads it and clears it once a new session exists.
import { z } from 'zod';
import type { SessionRewind, SessionRewindStore } from '../driver/index.js';
import { isoNow, type StoreContext } from './context.js';
import { parseOptionalRow } from './rows.js';

const RewindRowSchema = z.object({
  goal_id: z.string(),
  session_id: z.string().nullable(),
  resume_at: z.string().nullable(),
  note: z.string(),
});

export class SqliteSessionRewindStore implements SessionRewindStore {
  private readonly upsert;
  private readonly select;
  private readonly remove;
  private readonly makeFresh;

  constructor(private readonly ctx: StoreContext) {
    const db = ctx.db;
    this.upsert = db.prepare(`
      INSERT INTO session_rewinds (goal_id, session_id, resume_at, note, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(goal_id) DO UPDATE SET session_id = excluded.session_id, resume_at = excluded.resume_at,
        note = excluded.note, created_at = excluded.created_at`);
    this.select = db.prepare('SELECT goal_id, session_id, resume_at, note FROM session_rewinds WHERE goal_id = ?');
    this.remove = db.prepare('DELETE FROM session_rewinds WHERE goal_id = ?');
    this.makeFresh = db.prepare('UPDATE session_rewinds SET session_id = NULL, resume_at = NULL WHERE goal_id = ?');
  }

  /** Replaces the goal's pending rewind (a later rollback wins). */
  set(rewind: SessionRewind): void {
    this.ctx.queue.flush();
    this.upsert.run(rewind.goalId, rewind.sessionId, rewind.resumeAt, rewind.note, isoNow(this.ctx));
  }

  pending(goalId: string): SessionRewind | null {
    this.ctx.queue.flushQuietly();
    const row = parseOptionalRow('session_rewinds', RewindRowSchema, this.select.get(goalId));
    if (row === null) return null;
    return { goalId: row.goal_id, sessionId: row.session_id, resumeAt: row.resume_at, note: row.note };
  }

  clear(goalId: string): void {
    this.ctx.queue.flush();
    this.remove.run(goalId);
  }

  fallBackToFresh(goalId: string): void {
    this.ctx.queue.flush();
    this.makeFresh.run(goalId);
  }
}
