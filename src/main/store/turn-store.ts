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

function checkpoint(ref: string | null, sha: string | null): TurnCheckpoint | null {
  return sha === null ? null : { ref, sha };
}

export class TurnStore {
  private readonly byGoal;

  constructor(private readonly ctx: StoreContext) {
    this.byGoal = ctx.db.prepare('SELECT * FROM turns WHERE goal_id = ? ORDER BY turn_index, attempt');
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
