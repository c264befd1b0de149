// Permission requests and their decisions (the audit log) and stored rules, for the permission
// broker (src/main/permission/ports.ts). The broker is the one writer of permission_requests: the
// permission_requested / permission_decided events it publishes are logged, never projected here.
import { z } from 'zod';
import {
  DecidedBySchema,
  PermissionDecisionSchema,
  PermissionRecordStatusSchema,
  PermissionRequestSchema,
  PermissionRuleSchema,
  type DecidedBy,
  type PermissionDecision,
  type PermissionRecord,
  type PermissionRequest,
  type PermissionRule,
} from '../../shared/domain/permission.js';
import type { PermissionRecordStore, RuleStore } from '../permission/index.js';
import type { StoreContext } from './context.js';
import { jsonText, nullableJsonText, parseOptionalRow, parseRows } from './rows.js';

const RecordRowSchema = z.object({
  request_json: jsonText(PermissionRequestSchema),
  status: PermissionRecordStatusSchema,
  decision_json: nullableJsonText(PermissionDecisionSchema),
  decided_by_json: nullableJsonText(DecidedBySchema),
  decided_at: z.string().nullable(),
});

function toRecord(row: z.output<typeof RecordRowSchema>): PermissionRecord {
  return {
    request: row.request_json,
    status: row.status,
    decision: row.decision_json,
    decidedBy: row.decided_by_json,
    decidedAt: row.decided_at,
  };
}

const RECORD_COLUMNS = 'request_json, status, decision_json, decided_by_json, decided_at';

export class SqlitePermissionRecordStore implements PermissionRecordStore {
  private readonly insert;
  private readonly insertWithDecision;
  private readonly decide;
  private readonly selectOne;
  private readonly selectPending;
  private readonly selectForGoal;
  private readonly selectRecent;
  private readonly expire;

  constructor(private readonly ctx: StoreContext) {
    const db = ctx.db;
    this.insert = db.prepare(`
      INSERT INTO permission_requests (id, goal_id, turn_index, tool_name, request_json, status, created_at)
      VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT(id) DO NOTHING`);
    this.insertWithDecision = db.prepare(`
      INSERT INTO permission_requests
        (id, goal_id, turn_index, tool_name, request_json, status, decision_json, decided_by_json, decided_at, created_at)
      VALUES (?, ?, ?, ?, ?, 'decided', ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`);
    this.decide = db.prepare(`
      UPDATE permission_requests SET status = 'decided', decision_json = ?, decided_by_json = ?, decided_at = ?
      WHERE id = ? AND status = 'pending'`);
    this.selectOne = db.prepare(`SELECT ${RECORD_COLUMNS} FROM permission_requests WHERE id = ?`);
    this.selectPending = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM permission_requests WHERE status = 'pending' ORDER BY created_at, rowid`,
    );
    this.selectForGoal = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM permission_requests WHERE goal_id = ? ORDER BY created_at, rowid LIMIT ?`,
    );
    this.selectRecent = db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM permission_requests ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    );
    this.expire = db.prepare(`
      UPDATE permission_requests SET status = 'expired', decided_by_json = ?, decided_at = ?
      WHERE status = 'pending'`);
  }

  /**
   * Records a request as pending (a repeat of a known id is ignored). The request is typed and was
   * parsed where it came in (the broker parses what the bridge sent); it is not parsed a second time
   * here, on the path every permission prompt waits on. Rows are parsed when read back.
   */
  insertPending(request: PermissionRequest): void {
    const requestJson = JSON.stringify(request);
    this.ctx.queue.flushWith(() =>
      this.insert.run(request.id, request.goalId, request.turnIndex, request.toolName, requestJson, request.createdAt),
    );
  }

  /**
   * Records a request already decided (a rule or the goal's mode decided it as it came in) in one
   * statement: the same row a pending insert and its decision leave, for one write on the request path.
   * Writes the event log has queued (Claude's stream, logged as it arrives) are committed in the same
   * transaction, before it: one commit on the prompt's path, not two. A repeat of a known id is ignored,
   * as in insertPending.
   */
  insertDecided(
    request: PermissionRequest,
    decision: PermissionDecision,
    decidedBy: DecidedBy,
    decidedAt: string,
  ): void {
    const requestJson = JSON.stringify(request);
    const decisionJson = JSON.stringify(decision);
    const decidedByJson = JSON.stringify(decidedBy);
    this.ctx.queue.flushWith(() =>
      this.insertWithDecision.run(
        request.id,
        request.goalId,
        request.turnIndex,
        request.toolName,
        requestJson,
        decisionJson,
        decidedByJson,
        decidedAt,
        request.createdAt,
      ),
    );
  }

  /** Records the decision of a pending request; the first decision wins (later ones are ignored). */
  recordDecision(requestId: string, decision: PermissionDecision, decidedBy: DecidedBy, decidedAt: string): void {
    const decisionJson = JSON.stringify(decision);
    const decidedByJson = JSON.stringify(decidedBy);
    this.ctx.queue.flushWith(() => this.decide.run(decisionJson, decidedByJson, decidedAt, requestId));
  }

  get(requestId: string): PermissionRecord | null {
    this.ctx.queue.flushQuietly();
    const row = parseOptionalRow('permission_requests', RecordRowSchema, this.selectOne.get(requestId));
    return row === null ? null : toRecord(row);
  }

  /** Every pending request, oldest first. */
  listPending(): PermissionRecord[] {
    this.ctx.queue.flushQuietly();
    return parseRows('permission_requests', RecordRowSchema, this.selectPending.all(), this.ctx.report).map(toRecord);
  }

  /** The newest requests across all goals (for rule previews), newest first. */
  listRecent(limit: number): PermissionRecord[] {
    this.ctx.queue.flushQuietly();
    return parseRows('permission_requests', RecordRowSchema, this.selectRecent.all(limit), this.ctx.report).map(
      toRecord,
    );
  }

  /** A goal's requests with their decisions, oldest first (the audit log). */
  listForGoal(goalId: string, limit = 1000): PermissionRecord[] {
    this.ctx.queue.flushQuietly();
    const rows = this.selectForGoal.all(goalId, limit);
    return parseRows('permission_requests', RecordRowSchema, rows, this.ctx.report).map(toRecord);
  }

  /** Marks every pending request expired (decidedBy {kind:'expired'}, no decision). Returns how many. */
  expireAllPending(at: string): number {
    this.ctx.queue.flush();
    return this.expire.run(JSON.stringify({ kind: 'expired' } satisfies DecidedBy), at).changes;
  }
}

const RuleRowSchema = z.object({ rule_json: jsonText(PermissionRuleSchema) });

export class RuleExistsError extends Error {
  constructor(readonly ruleId: string) {
    super(`rule ${ruleId} already exists`);
    this.name = 'RuleExistsError';
  }
}

/** A stored rule as the cache hands it out: frozen, so no caller can change what later calls see. */
function frozenRule(rule: PermissionRule): PermissionRule {
  Object.freeze(rule.scope);
  return Object.freeze(rule);
}

export class SqliteRuleStore implements RuleStore {
  private readonly selectAll;
  private readonly insert;
  private readonly remove;
  private readonly dataVersion;
  /**
   * The parsed rules, read again when this store writes a rule or another connection commits
   * (SQLite's data_version changes). The broker reads the rules for every permission prompt.
   */
  private cached: { version: unknown; rules: readonly PermissionRule[] } | null = null;

  constructor(private readonly ctx: StoreContext) {
    const db = ctx.db;
    this.selectAll = db.prepare('SELECT rule_json FROM rules ORDER BY created_at, rowid');
    this.insert = db.prepare(
      'INSERT INTO rules (id, rule_json, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING',
    );
    this.remove = db.prepare('DELETE FROM rules WHERE id = ?');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /** Every rule, oldest first. */
  list(): PermissionRule[] {
    const version: unknown = this.dataVersion.get();
    const cached = this.cached;
    if (cached !== null && cached.version === version) return [...cached.rules];
    const rules = parseRows('rules', RuleRowSchema, this.selectAll.all(), this.ctx.report).map((row) =>
      frozenRule(row.rule_json),
    );
    // Inside a transaction a write may still be rolled back: do not keep what it shows.
    this.cached = this.ctx.db.inTransaction ? null : { version, rules };
    return [...rules];
  }

  /** Adds a rule; throws RuleExistsError when its id is taken. */
  add(rule: PermissionRule): void {
    const checked = PermissionRuleSchema.parse(rule);
    this.cached = null;
    if (this.insert.run(checked.id, JSON.stringify(checked), checked.createdAt).changes === 0) {
      throw new RuleExistsError(checked.id);
    }
  }

  /** Returns false when no rule had this id. */
  delete(ruleId: string): boolean {
    this.cached = null;
    return this.remove.run(ruleId).changes > 0;
  }
}
