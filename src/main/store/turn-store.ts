// Turns: one row per attempt of a turn (a fresh-session or compact retry reuses the turn index
// with the next attempt number), projected from attempt_started / checkpoint / attempt_completed.
// Read-only here: the rows are written by the event projections.
import { z } from 'zod';
import {
  AcceptanceVerdictSchema,
  AttemptOutcomeSchema,
  BudgetUsageSchema,
  DiffStatSchema,
  type AcceptanceVerdict,
  type AttemptOutcome,
  type BudgetUsage,
  type DiffStat,
} from '../../shared/domain/goal.js';
import type { StoreContext } from './context.js';
import { nullableJsonText, parseRows, sqliteBoolean } from './rows.js';

/** pending: created by a checkpoint before attempt_started; interrupted: the goal ended or the host died mid-turn. */
export const TurnStatusSchema = z.enum(['pending', 'running', 'completed', 'interrupted']);
export type TurnStatus = z.infer<typeof TurnStatusSchema>;

export interface TurnCheckpoint {
  /** refs/overseer/<goal>/<turn>-pre|post; null when only the sha was reported (attempt_completed). */
  ref: string | null;
  sha: string;
}

export interface TurnRecord {
  goalId: string;
  turnIndex: number;
  /** 1 for the first attempt of this turn index, 2 for a retry, … */
  attempt: number;
  status: TurnStatus;
  compact: boolean;
  prompt: string | null;
  outcome: AttemptOutcome | null;
  usageBefore: BudgetUsage | null;
  usageAfter: BudgetUsage | null;
  /** Tokens and cost this attempt alone used. */
  tokens: number;
  costUsd: number;
  permissionDenials: number;
  acceptance: AcceptanceVerdict | null;
  finalText: string | null;
  diffStat: DiffStat | null;
  preCheckpoint: TurnCheckpoint | null;
  postCheckpoint: TurnCheckpoint | null;
  sessionId: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

const TurnRowSchema = z.object({
  goal_id: z.string(),
  turn_index: z.number().int().nonnegative(),
  attempt: z.number().int().positive(),
  status: TurnStatusSchema,
  compact: sqliteBoolean,
  prompt: z.string().nullable(),
  outcome_json: nullableJsonText(AttemptOutcomeSchema),
  usage_before_json: nullableJsonText(BudgetUsageSchema),
  usage_after_json: nullableJsonText(BudgetUsageSchema),
  tokens: z.number().int().nonnegative(),
  cost_usd: z.number().nonnegative(),
  permission_denials: z.number().int().nonnegative(),
  acceptance_json: nullableJsonText(AcceptanceVerdictSchema),
  final_text: z.string().nullable(),
  diff_stat_json: nullableJsonText(DiffStatSchema),
  pre_ref: z.string().nullable(),
  pre_sha: z.string().nullable(),
  post_ref: z.string().nullable(),
  post_sha: z.string().nullable(),
  session_id: z.string().nullable(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
});

/**
 * What a turn list shows of an attempt (goal.get, `overseer show`): its outcome, usage and
 * checkpoints, and its diff stat as totals only.
 */
export interface TurnBrief {
  turnIndex: number;
  attempt: number;
  status: TurnStatus;
  compact: boolean;
  outcome: AttemptOutcome | null;
  tokens: number;
  costUsd: number;
  sessionId: string | null;
  preSha: string | null;
  postSha: string | null;
  startedAt: string | null;
  endedAt: string | null;
  diffTotals: { files: number; added: number; removed: number } | null;
}

/**
 * The columns of a turn brief. A long goal has thousands of turns: SQLite counts each diff stat's
 * files and reads its totals, so neither the file lists nor the prompts, usage, acceptance and
 * final texts are read back or parsed.
 */
const TurnBriefRowSchema = z.object({
  turn_index: z.number().int().nonnegative(),
  attempt: z.number().int().positive(),
  status: TurnStatusSchema,
  compact: sqliteBoolean,
  outcome_json: nullableJsonText(AttemptOutcomeSchema),
  tokens: z.number().int().nonnegative(),
  cost_usd: z.number().nonnegative(),
  session_id: z.string().nullable(),
  pre_sha: z.string().nullable(),
  post_sha: z.string().nullable(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  diff_files: z.number().int().nonnegative().nullable(),
  diff_added: z.number().int().nonnegative().nullable(),
  diff_removed: z.number().int().nonnegative().nullable(),
});

function checkpoint(ref: string | null, sha: string | null): TurnCheckpoint | null {
  return sha === null ? null : { ref, sha };
}

export class TurnStore {
  private readonly byGoal;
  private readonly briefsByGoal;

  constructor(private readonly ctx: StoreContext) {
    this.byGoal = ctx.db.prepare('SELECT * FROM turns WHERE goal_id = ? ORDER BY turn_index, attempt');
    this.briefsByGoal = ctx.db.prepare(
      `SELECT turn_index, attempt, status, compact, outcome_json, tokens, cost_usd, session_id, pre_sha, post_sha,
         started_at, ended_at, json_array_length(diff_stat_json, '$.files') AS diff_files,
         json_extract(diff_stat_json, '$.added') AS diff_added, json_extract(diff_stat_json, '$.removed') AS diff_removed
       FROM turns WHERE goal_id = ? ORDER BY turn_index, attempt`,
    );
  }

  /** Every attempt of a goal as a turn list shows it (see TurnBrief), by turn index then attempt. */
  briefsForGoal(goalId: string): TurnBrief[] {
    this.ctx.queue.flushQuietly();
    return parseRows('turns', TurnBriefRowSchema, this.briefsByGoal.all(goalId), this.ctx.report).map((row) => ({
      turnIndex: row.turn_index,
      attempt: row.attempt,
      status: row.status,
      compact: row.compact,
      outcome: row.outcome_json,
      tokens: row.tokens,
      costUsd: row.cost_usd,
      sessionId: row.session_id,
      preSha: row.pre_sha,
      postSha: row.post_sha,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      diffTotals:
        row.diff_files === null || row.diff_added === null || row.diff_removed === null
          ? null
          : { files: row.diff_files, added: row.diff_added, removed: row.diff_removed },
    }));
  }

  /** Every attempt of a goal, by turn index then attempt. */
  turnsForGoal(goalId: string): TurnRecord[] {
    this.ctx.queue.flushQuietly();
    return parseRows('turns', TurnRowSchema, this.byGoal.all(goalId), this.ctx.report).map((row) => ({
      goalId: row.goal_id,
      turnIndex: row.turn_index,
      attempt: row.attempt,
      status: row.status,
      compact: row.compact,
      prompt: row.prompt,
      outcome: row.outcome_json,
      usageBefore: row.usage_before_json,
      usageAfter: row.usage_after_json,
      tokens: row.tokens,
      costUsd: row.cost_usd,
      permissionDenials: row.permission_denials,
      acceptance: row.acceptance_json,
      finalText: row.final_text,
      diffStat: row.diff_stat_json,
      preCheckpoint: checkpoint(row.pre_ref, row.pre_sha),
      postCheckpoint: checkpoint(row.post_ref, row.post_sha),
      sessionId: row.session_id,
      startedAt: row.started_at,
      endedAt: row.ended_at,
    }));
  }
}
