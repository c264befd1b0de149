// Goals: insert, read, list with the summary fields a sidebar shows (status, turns, tokens, cost,
// pending permission requests), set status, delete. Status, usage and outcome are normally kept
// up to date by the event projections (projections.ts); setStatus is for the host's own moves.
import { z } from 'zod';
import {
  BudgetUsageSchema,
  GoalOutcomeSchema,
  GoalSchema,
  GoalStatusSchema,
  ZERO_USAGE,
  type BudgetUsage,
  type Goal,
  type GoalOutcome,
  type GoalStatus,
} from '../../shared/domain/goal.js';
import { ExtendableAxisSchema, type ExtendableAxis } from '../../shared/domain/budget-extension.js';
import { GoalSummarySchema } from '../../shared/domain/views.js';
import { isoNow, type StoreContext } from './context.js';
import type { EventLog } from './event-log.js';
import { recentTokens, TurnTokensColumnSchema } from './goal-list-tokens.js';
import { CountRowSchema, jsonText, nullableJsonText, parseOptionalRow, parseRow, parseRows } from './rows.js';
import { GOAL_LIST_DEFAULT_LIMIT, GOAL_LIST_RECENT_TURNS } from '../../shared/domain/goal-list.js';

export interface GoalRecord {
  goal: Goal;
  status: GoalStatus;
  usage: BudgetUsage;
  totalTurns: number;
  outcome: GoalOutcome | null;
  /** The cap a paused goal waits at (turns, wall_time, tokens, cost); null otherwise. */
  pausedAtCap: ExtendableAxis | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

/** One sidebar row. */
export interface GoalListRow {
  goalId: string;
  description: string;
  repoPath: string;
  status: GoalStatus;
  totalTurns: number;
  tokens: number;
  costUsd: number;
  pendingPermissions: number;
  /** The stored budget's turn limit (raised limits included). */
  maxTurns: number;
  /** The cap a paused goal waits at; null otherwise. */
  pausedAtCap: ExtendableAxis | null;
  /** The goal's work has landed (merged, rebased, a PR opened, cleaned up; committed in place). */
  landed: boolean;
  /**
   * Tokens per turn index of the goal's most recent GOAL_LIST_RECENT_TURNS turn indexes (perTurn:
   * retries and compactions summed, a missing index 0), the first of them `tokensPerTurnFrom`.
   */
  tokensPerTurn: number[];
  tokensPerTurnFrom: number;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export interface GoalListOptions {
  /** Only goals in these statuses. */
  statuses?: readonly GoalStatus[];
  /** Only this goal. */
  goalId?: string;
  /** Newest first; default GOAL_LIST_DEFAULT_LIMIT. */
  limit?: number;
  offset?: number;
}

const GoalRowSchema = z.object({
  goal_json: jsonText(GoalSchema),
  status: GoalStatusSchema,
  usage_json: jsonText(BudgetUsageSchema),
  total_turns: z.number().int().nonnegative(),
  outcome_json: nullableJsonText(GoalOutcomeSchema),
  paused_at_cap: ExtendableAxisSchema.nullable().catch(null),
  created_at: z.string(),
  updated_at: z.string(),
  ended_at: z.string().nullable(),
});

/** `column IN (?, ...)` for `statuses`, bound in order (none matches no row). */
function statusCondition(column: string, statuses: readonly GoalStatus[]): string {
  return `${column} IN (${statuses.map(() => '?').join(', ') || "''"})`;
}

/** The contract's goal summary, field by field. */
const Summary = GoalSummarySchema.shape;

/**
 * A goal list row as read back. Every field the list sends is held to what the contract's goal
 * summary requires (the id a goal id, counts non-negative integers, per-turn sums safe integers), so
 * a damaged row is left out here, reported, and the rest of the list is still answered; the host
 * does not check the list a second time (see the goals.list handler).
 */
const SummaryRowSchema = z.object({
  // The contract's own field schemas, so a rule it adds is checked here too.
  id: Summary.id,
  description: Summary.description,
  repo_path: Summary.repoPath,
  status: Summary.status,
  total_turns: Summary.turns,
  tokens: Summary.tokens,
  cost_usd: Summary.costUsd,
  pending_permissions: Summary.pendingPermissions,
  max_turns: Summary.maxTurns,
  paused_at_cap: ExtendableAxisSchema.nullable().catch(null),
  landed: z.number().int(),
  /** [turn_index, tokens] of each record of the goal's recent turns (see goal-list-tokens.ts). */
  turn_tokens: TurnTokensColumnSchema,
  created_at: Summary.createdAt,
  updated_at: Summary.updatedAt,
  ended_at: z.string().nullable(),
});

/**
 * The goal list's query, its `conditions` joined with AND (their parameters first, then LIMIT and
 * OFFSET). The recent turns' tokens are read from the turns_tokens index alone (migration 8).
 */
export function goalListSql(conditions: readonly string[]): string {
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  return `
      SELECT g.id, g.description, g.repo_path, g.status, g.total_turns, g.tokens, g.cost_usd,
        (SELECT count(*) FROM permission_requests p WHERE p.status = 'pending' AND p.goal_id = g.id)
          AS pending_permissions,
        json_extract(g.goal_json, '$.budget.maxTurns') AS max_turns, g.paused_at_cap,
        EXISTS (SELECT 1 FROM goal_landings l WHERE l.goal_id = g.id AND (json_extract(l.landing_json, '$.action') != 'commit'
          OR json_extract(g.goal_json, '$.inPlace') = 1)) AS landed,
        (SELECT json_group_array(json_array(t.turn_index, t.tokens)) FROM turns t WHERE t.goal_id = g.id
          AND t.turn_index > (SELECT max(m.turn_index) FROM turns m WHERE m.goal_id = g.id) - ${GOAL_LIST_RECENT_TURNS})
          AS turn_tokens,
        g.created_at, g.updated_at, g.ended_at
      FROM goals g ${where}
      ORDER BY g.created_at DESC, g.id DESC
      LIMIT ? OFFSET ?`;
}

export class GoalExistsError extends Error {
  constructor(readonly goalId: string) {
    super(`goal ${goalId} already exists`);
    this.name = 'GoalExistsError';
  }
}

export class GoalStore {
  private readonly insertRow;
  private readonly selectRow;
  private readonly updateStatus;
  private readonly deleteRow;
  private readonly countRows;
  private readonly removeGoal: (goalId: string) => boolean;

  constructor(
    private readonly ctx: StoreContext,
    /** The events table's one writer: a deleted goal's events (and their count) go through it. */
    private readonly events: Pick<EventLog, 'deleteGoalEvents'>,
  ) {
    const db = ctx.db;
    this.insertRow = db.prepare(`
      INSERT INTO goals (id, description, repo_path, goal_json, status, usage_json, total_turns, tokens, cost_usd,
                         created_at, updated_at)
      VALUES (@id, @description, @repoPath, @goalJson, @status, @usageJson, 0, 0, 0, @createdAt, @at)
      ON CONFLICT(id) DO NOTHING`);
    this.selectRow = db.prepare(
      'SELECT goal_json, status, usage_json, total_turns, outcome_json, paused_at_cap, created_at, updated_at, ended_at FROM goals WHERE id = ?',
    );
    this.updateStatus = db.prepare('UPDATE goals SET status = ?, paused_at_cap = ?, updated_at = ? WHERE id = ?');
    this.deleteRow = db.prepare('DELETE FROM goals WHERE id = ?');
    this.countRows = db.prepare('SELECT count(*) AS n FROM goals');
    this.removeGoal = db.transaction((goalId: string): boolean => {
      this.events.deleteGoalEvents(goalId);
      return this.deleteRow.run(goalId).changes > 0;
    });
  }

  /** Records a new goal (status `pending` unless given). Throws GoalExistsError for a known id. */
  insert(goal: Goal, status: GoalStatus = 'pending'): void {
    this.ctx.queue.flush();
    const checked = GoalSchema.parse(goal);
    const changes = this.insertRow.run({
      id: checked.id,
      description: checked.description,
      repoPath: checked.repoPath,
      goalJson: JSON.stringify(checked),
      status,
      usageJson: JSON.stringify(ZERO_USAGE),
      createdAt: checked.createdAt,
      at: isoNow(this.ctx),
    }).changes;
    if (changes === 0) throw new GoalExistsError(checked.id);
  }

  get(goalId: string): GoalRecord | null {
    this.ctx.queue.flushQuietly();
    const row = parseOptionalRow('goals', GoalRowSchema, this.selectRow.get(goalId));
    if (row === null) return null;
    return {
      goal: row.goal_json,
      status: row.status,
      usage: row.usage_json,
      totalTurns: row.total_turns,
      outcome: row.outcome_json,
      pausedAtCap: row.status === 'paused' ? row.paused_at_cap : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      endedAt: row.ended_at,
    };
  }

  /** Sidebar rows, newest first. */
  list(options: GoalListOptions = {}): GoalListRow[] {
    this.ctx.queue.flushQuietly();
    const statuses = options.statuses ?? null;
    const conditions: string[] = [];
    if (statuses !== null) conditions.push(statusCondition('g.status', statuses));
    if (options.goalId !== undefined) conditions.push('g.id = ?');
    const sql = goalListSql(conditions);
    const params: (string | number)[] = [
      ...(statuses ?? []),
      ...(options.goalId !== undefined ? [options.goalId] : []),
      options.limit ?? GOAL_LIST_DEFAULT_LIMIT,
      options.offset ?? 0,
    ];
    const rows = this.ctx.db.prepare(sql).all(...params);
    return parseRows('goals', SummaryRowSchema, rows, this.ctx.report).map((row) => ({
      goalId: row.id,
      description: row.description,
      repoPath: row.repo_path,
      status: row.status,
      totalTurns: row.total_turns,
      tokens: row.tokens,
      costUsd: row.cost_usd,
      pendingPermissions: row.pending_permissions,
      maxTurns: row.max_turns,
      pausedAtCap: row.status === 'paused' ? row.paused_at_cap : null,
      landed: row.landed !== 0,
      ...recentTokens(row.turn_tokens),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      endedAt: row.ended_at,
    }));
  }

  /**
   * The newest `limit` goals' rows (only those in `statuses`, when given) and how many such goals
   * there are in all (counted, not taken from the list's length: a damaged row is left out of the
   * list but is still a goal).
   */
  newest(
    limit: number = GOAL_LIST_DEFAULT_LIMIT,
    statuses?: readonly GoalStatus[],
  ): { rows: GoalListRow[]; total: number } {
    if (statuses === undefined)
      return { rows: this.list({ limit }), total: parseRow('goals', CountRowSchema, this.countRows.get()).n };
    const rows = this.list({ limit, statuses }); // first: it writes what is queued
    const counted = this.ctx.db
      .prepare(`SELECT count(*) AS n FROM goals WHERE ${statusCondition('status', statuses)}`)
      .get(...statuses);
    return { rows, total: parseRow('goals', CountRowSchema, counted).n };
  }

  /** One goal's sidebar row, or null. */
  summary(goalId: string): GoalListRow | null {
    return this.list({ goalId, limit: 1 })[0] ?? null;
  }

  /** Sets a goal's status directly (no event is logged); `pausedAtCap` for a paused goal waiting at a cap. Returns false for an unknown goal. */
  setStatus(goalId: string, status: GoalStatus, pausedAtCap: ExtendableAxis | null = null): boolean {
    this.ctx.queue.flush();
    const cap = status === 'paused' ? pausedAtCap : null;
    return this.updateStatus.run(GoalStatusSchema.parse(status), cap, isoNow(this.ctx), goalId).changes > 0;
  }

  /**
   * Deletes a goal and everything recorded about it (events, turns, transcript, permission
   * requests, binding, summaries, process record). Returns false for an unknown goal.
   */
  delete(goalId: string): boolean {
    this.ctx.queue.flush();
    return this.removeGoal(goalId);
  }
}
