// Session bindings and compact summaries for the driver (see SessionBindingStore in driver/ports.ts).
// get returns only valid bindings (optionally within an idle TTL / max age); upsert keeps
// created_at, clears the invalid flag and bumps updated_at and last_active_at; markInvalid sets
// the flag and bumps updated_at. Timestamps are ISO strings.
import { z } from 'zod';
import type { CompactSummary, CompactSummaryStore, SessionBinding, SessionBindingStore } from '../driver/index.js';
import { isoNow, type StoreContext } from './context.js';
import { parseOptionalRow, parseRows } from './rows.js';

export interface SessionBindingOptions {
  /** get ignores bindings not active within this many ms (0 or absent: no limit). */
  idleTtlMs?: number;
  /** get ignores bindings created more than this many ms ago (0 or absent: no limit). */
  maxAgeMs?: number;
}

const BindingRowSchema = z.object({
  goal_id: z.string(),
  session_id: z.string(),
  model: z.string().nullable(),
  workspace: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  last_active_at: z.string(),
});

function toBinding(row: z.output<typeof BindingRowSchema>): SessionBinding {
  return {
    goalId: row.goal_id,
    sessionId: row.session_id,
    model: row.model,
    workspace: row.workspace,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActiveAt: row.last_active_at,
  };
}

const BINDING_COLUMNS = 'goal_id, session_id, model, workspace, created_at, updated_at, last_active_at';

export class SqliteSessionBindingStore implements SessionBindingStore {
  private readonly selectValid;
  private readonly upsertRow;
  private readonly invalidate;
  private readonly touchRow;
  private readonly remove;
  private readonly selectActive;

  constructor(
    private readonly ctx: StoreContext,
    private readonly options: SessionBindingOptions = {},
  ) {
    const db = ctx.db;
    const filters = 'invalid = 0 AND last_active_at >= @activeSince AND created_at >= @createdSince';
    this.selectValid = db.prepare(
      `SELECT ${BINDING_COLUMNS} FROM session_bindings WHERE goal_id = @goalId AND ${filters}`,
    );
    this.selectActive = db.prepare(
      `SELECT ${BINDING_COLUMNS} FROM session_bindings WHERE ${filters} ORDER BY last_active_at DESC`,
    );
    this.upsertRow = db.prepare(`
      INSERT INTO session_bindings (goal_id, session_id, model, workspace, invalid, created_at, updated_at, last_active_at)
      VALUES (@goalId, @sessionId, @model, @workspace, 0, @now, @now, @now)
      ON CONFLICT(goal_id) DO UPDATE SET session_id = excluded.session_id, model = excluded.model,
        workspace = excluded.workspace, invalid = 0, updated_at = excluded.updated_at,
        last_active_at = excluded.last_active_at`);
    this.invalidate = db.prepare('UPDATE session_bindings SET invalid = 1, updated_at = ? WHERE goal_id = ?');
    this.touchRow = db.prepare('UPDATE session_bindings SET last_active_at = ? WHERE goal_id = ? AND invalid = 0');
    this.remove = db.prepare('DELETE FROM session_bindings WHERE goal_id = ?');
  }

  get(goalId: string): SessionBinding | null {
    this.ctx.queue.flushQuietly();
    const row = parseOptionalRow('session_bindings', BindingRowSchema, this.selectValid.get(this.filter(goalId)));
    return row === null ? null : toBinding(row);
  }

  upsert(binding: { goalId: string; sessionId: string; model: string | null; workspace: string | null }): void {
    this.ctx.queue.flush();
    this.upsertRow.run({
      goalId: binding.goalId,
      sessionId: binding.sessionId,
      model: binding.model,
      workspace: binding.workspace,
      now: isoNow(this.ctx),
    });
  }

  markInvalid(goalId: string): void {
    this.ctx.queue.flush();
    this.invalidate.run(isoNow(this.ctx), goalId);
  }

  /** Bumps last_active_at of a valid binding (updated_at unchanged). */
  touch(goalId: string): void {
    this.ctx.queue.flush();
    this.touchRow.run(isoNow(this.ctx), goalId);
  }

  /** Deletes the binding. */
  clear(goalId: string): void {
    this.ctx.queue.flush();
    this.remove.run(goalId);
  }

  /** Valid bindings within the TTLs, most recently active first. */
  listActive(): SessionBinding[] {
    this.ctx.queue.flushQuietly();
    const rows = this.selectActive.all(this.filter(null));
    return parseRows('session_bindings', BindingRowSchema, rows, this.ctx.report).map(toBinding);
  }

  private filter(goalId: string | null) {
    const now = this.ctx.now().getTime();
    const since = (ms: number | undefined) => (ms === undefined || ms <= 0 ? '' : new Date(now - ms).toISOString());
    return { goalId, activeSince: since(this.options.idleTtlMs), createdSince: since(this.options.maxAgeMs) };
  }
}

const SummaryRowSchema = z.object({
  goal_id: z.string(),
  turn_index: z.number().int().nonnegative(),
  summary: z.string(),
  before_tokens: z.number().int().nonnegative(),
  after_tokens: z.number().int().nonnegative(),
  stored_at: z.string(),
});

export class SqliteCompactSummaryStore implements CompactSummaryStore {
  private readonly insert;
  private readonly latest;

  constructor(private readonly ctx: StoreContext) {
    this.insert = ctx.db.prepare(`
      INSERT INTO compact_summaries (goal_id, turn_index, summary, before_tokens, after_tokens, stored_at)
      VALUES (?, ?, ?, ?, ?, ?)`);
    this.latest = ctx.db.prepare(`
      SELECT goal_id, turn_index, summary, before_tokens, after_tokens, stored_at FROM compact_summaries
      WHERE goal_id = ? ORDER BY id DESC LIMIT 1`);
  }

  /** Keeps every summary; load returns the newest. */
  store(summary: CompactSummary): void {
    this.ctx.queue.flush();
    this.insert.run(
      summary.goalId,
      summary.turnIndex,
      summary.summary,
      summary.beforeTokens,
      summary.afterTokens,
      summary.storedAt,
    );
  }

  load(goalId: string): CompactSummary | null {
    this.ctx.queue.flushQuietly();
    return this.toSummary(parseOptionalRow('compact_summaries', SummaryRowSchema, this.latest.get(goalId)));
  }

  /** The newest summary made by a compact turn at or before `turnIndex` (it covers only turns before that). */
  loadUpTo(goalId: string, turnIndex: number): CompactSummary | null {
    this.ctx.queue.flushQuietly();
    const row = this.ctx.db
      .prepare(
        `SELECT goal_id, turn_index, summary, before_tokens, after_tokens, stored_at FROM compact_summaries
        WHERE goal_id = ? AND turn_index <= ? ORDER BY id DESC LIMIT 1`,
      )
      .get(goalId, turnIndex);
    return this.toSummary(parseOptionalRow('compact_summaries', SummaryRowSchema, row));
  }

  private toSummary(row: z.infer<typeof SummaryRowSchema> | null): CompactSummary | null {
    if (row === null) return null;
    return {
      goalId: row.goal_id,
      summary: row.summary,
      turnIndex: row.turn_index,
      beforeTokens: row.before_tokens,
      afterTokens: row.after_tokens,
      storedAt: row.stored_at,
    };
  }
}
