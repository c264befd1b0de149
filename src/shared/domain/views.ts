// Read models the UI queries: goal summaries for the sidebar, turns for the goal view, timeline
// pages, diffs and search hits. Built by the host from the stores.
import { z } from 'zod';
import {
  AttemptOutcomeSchema,
  BudgetGuardsSchema,
  BudgetUsageSchema,
  GoalIdSchema,
  GoalSchema,
  GoalStatusSchema,
} from './goal.js';
import { DriverEventSchema } from '../events.js';
import { ExtendableAxisSchema } from './budget-extension.js';

export const GoalSummarySchema = z.object({
  id: GoalIdSchema,
  description: z.string(),
  repoPath: z.string(),
  status: GoalStatusSchema,
  turns: z.number().int().nonnegative(),
  maxTurns: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  pendingPermissions: z.number().int().nonnegative(),
  /** A paused goal waiting at this budget cap ("+N and continue" or "End"); null otherwise. */
  pausedAtCap: ExtendableAxisSchema.nullable().default(null),
  /** Its work has landed (merged, rebased, PR opened, cleaned up, or committed in place). */
  landed: z.boolean().default(false),
  /**
   * Tokens per turn index (retries and compactions summed, a turn index with no record 0), for the
   * sidebar's sparkline without the goal's details: the goal's most recent turns (GOAL_LIST_RECENT_TURNS),
   * the first of them turn index `tokensPerTurnFrom`. Empty from a runner that does not send it; every
   * turn from an older one (then from 0).
   */
  tokensPerTurn: z.array(z.number().int().nonnegative()).default([]),
  /** The turn index of `tokensPerTurn`'s first value. */
  tokensPerTurnFrom: z.number().int().nonnegative().default(0),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The runner (another machine, over NATS) this goal runs on; absent for this host's own goals. */
  runner: z.string().optional(),
});
export type GoalSummary = z.infer<typeof GoalSummarySchema>;

/** A turn's diff in numbers (the files come with turn.diff, on demand). */
export const DiffTotalsSchema = z.object({
  files: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
});
export type DiffTotals = z.infer<typeof DiffTotalsSchema>;

export const TurnSummarySchema = z.object({
  turnIndex: z.number().int().nonnegative(),
  /** 1 for the first attempt at this turn index; a fresh-session or compact retry reuses the index. */
  attempt: z.number().int().positive().default(1),
  status: z.enum(['pending', 'running', 'completed', 'interrupted']).default('completed'),
  /** A compact turn (does not count as work). */
  compact: z.boolean().default(false),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: AttemptOutcomeSchema.nullable(),
  tokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  sessionId: z.string().nullable(),
  preSha: z.string().nullable(),
  postSha: z.string().nullable(),
  diffStat: DiffTotalsSchema.nullable(),
});
export type TurnSummary = z.infer<typeof TurnSummarySchema>;

export const WorkspaceInfoSchema = z.object({
  path: z.string(),
  kind: z.enum(['worktree', 'in_place', 'no_git']),
  branch: z.string().nullable(),
  baseCommit: z.string().nullable(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

export const GoalDetailSchema = z.object({
  goal: GoalSchema,
  summary: GoalSummarySchema,
  usage: BudgetUsageSchema,
  /** The budget in force (the goal's, with any raised turn limit). */
  budget: BudgetGuardsSchema,
  turns: z.array(TurnSummarySchema),
  workspace: WorkspaceInfoSchema.nullable(),
  /** A turn is running right now (rollback is refused). */
  turnRunning: z.boolean(),
});
export type GoalDetail = z.infer<typeof GoalDetailSchema>;

/** A stored event with its log sequence number (the timeline's order and paging key). */
export const LoggedEventSchema = z.object({
  logSeq: z.number().int().nonnegative(),
  at: z.string(),
  event: DriverEventSchema,
});
export type LoggedEvent = z.infer<typeof LoggedEventSchema>;

export const FilePatchSchema = z.object({
  path: z.string(),
  oldPath: z.string().nullable(),
  /** Unified diff text of this file (git format), possibly cut. */
  patch: z.string(),
  truncated: z.boolean(),
  originalBytes: z.number().int().nonnegative(),
  binary: z.boolean(),
});
export type FilePatch = z.infer<typeof FilePatchSchema>;

export const SearchHitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('goal'), goalId: GoalIdSchema, snippet: z.string() }),
  z.object({
    kind: z.literal('transcript'),
    goalId: GoalIdSchema,
    turnIndex: z.number().int().nonnegative(),
    snippet: z.string(),
  }),
]);
export type SearchHit = z.infer<typeof SearchHitSchema>;
