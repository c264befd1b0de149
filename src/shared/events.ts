// Driver events: everything that happens to a goal, in order (docs/driver.md describes when each is
// published). The driver's own kinds come first, the console's additions follow. Every event names its goal.
import { z } from 'zod';
import {
  AcceptanceVerdictSchema,
  AttemptResultSchema,
  BudgetAxisSchema,
  BudgetGuardsSchema,
  BudgetUsageSchema,
  DiffStatSchema,
  GoalIdSchema,
  GoalOutcomeSchema,
  GoalSchema,
  ReplayDecisionSchema,
} from './domain/goal.js';
import { DecidedBySchema, PermissionDecisionSchema, PermissionRequestSchema } from './domain/permission.js';
import { TranscriptEntrySchema } from './domain/transcript.js';
import { LandingSchema, WorktreeSetupSchema } from './domain/landing.js';
import { ExtendableAxisSchema } from './domain/budget-extension.js';

const goalId = GoalIdSchema;
const turnIndex = z.number().int().nonnegative();

export const DriverEventSchema = z.discriminatedUnion('kind', [
  // --- the driver's kinds ---
  z.object({ kind: z.literal('goal_started'), goalId, goal: GoalSchema }),
  z.object({ kind: z.literal('goal_completed'), goalId, outcome: GoalOutcomeSchema }),
  z.object({
    kind: z.literal('attempt_started'),
    goalId,
    turnIndex,
    usage: BudgetUsageSchema,
    /** A compact turn (`/compact`) that does not count as work. */
    compact: z.boolean().default(false),
    prompt: z.string().default(''),
  }),
  z.object({ kind: z.literal('attempt_completed'), goalId, result: AttemptResultSchema }),
  z.object({ kind: z.literal('acceptance'), goalId, turnIndex, verdict: AcceptanceVerdictSchema }),
  z.object({ kind: z.literal('budget_exhausted'), goalId, axis: BudgetAxisSchema, usage: BudgetUsageSchema }),
  z.object({ kind: z.literal('escalate'), goalId, reason: z.string() }),
  z.object({
    kind: z.literal('replay_decision'),
    goalId,
    turnIndex,
    decision: ReplayDecisionSchema,
    errorMessage: z.string(),
  }),
  z.object({
    kind: z.literal('compact_requested'),
    goalId,
    turnIndex,
    focus: z.string(),
    tokenPressure: z.number(),
    beforeTokens: z.number().int().nonnegative(),
    ageMinutes: z.number().nonnegative(),
    trigger: z.enum(['token_pressure', 'age', 'prompt_too_long']),
  }),
  z.object({ kind: z.literal('compact_completed'), goalId, turnIndex, afterTokens: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('compact_summary_stored'),
    goalId,
    turnIndex,
    beforeTokens: z.number().int().nonnegative(),
    afterTokens: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('progress'),
    goalId,
    turnIndex,
    usage: BudgetUsageSchema,
    lastText: z.string().nullable(),
  }),
  // --- the console's additions ---
  z.object({ kind: z.literal('goal_paused'), goalId }),
  /** The goal waits for a free slot; `position` is 1-based in the queue (moves and departures change it). */
  z.object({ kind: z.literal('goal_queued'), goalId, position: z.number().int().positive() }),
  z.object({ kind: z.literal('goal_resumed'), goalId }),
  z.object({
    kind: z.literal('interrupt_queued'),
    goalId,
    message: z.string(),
    queueDepth: z.number().int().nonnegative(),
    /** true: the running turn is being stopped now; the note leads the next turn. */
    stopTurn: z.boolean(),
  }),
  z.object({ kind: z.literal('turn_limit_raised'), goalId, maxTurns: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('sleep_started'),
    goalId,
    durationMs: z.number().int().nonnegative(),
    reason: z.string(),
  }),
  z.object({ kind: z.literal('turn_output'), goalId, turnIndex, entry: TranscriptEntrySchema }),
  z.object({ kind: z.literal('permission_requested'), goalId, request: PermissionRequestSchema }),
  z.object({
    kind: z.literal('permission_decided'),
    goalId,
    requestId: z.string(),
    toolName: z.string(),
    decision: PermissionDecisionSchema,
    decidedBy: DecidedBySchema,
    /** Set when the operator allowed with edits: Claude's input as asked (the decision holds what ran). */
    originalInput: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    kind: z.literal('checkpoint'),
    goalId,
    turnIndex,
    phase: z.enum(['pre', 'post']),
    ref: z.string(),
    sha: z.string(),
    diffStat: DiffStatSchema.nullable().default(null),
  }),
  z.object({ kind: z.literal('rollback'), goalId, turnIndex, phase: z.enum(['pre', 'post']), sha: z.string() }),
  /** The operator reverted a file (hunk null) or one hunk of a turn's change (turnIndex) or the goal's whole change. */
  z.object({
    kind: z.literal('file_reverted'),
    goalId,
    path: z.string(),
    hunk: z.number().int().positive().nullable(),
    turnIndex: turnIndex.nullable(),
  }),
  z.object({ kind: z.literal('driver_warning'), goalId, message: z.string() }),
  // --- worktree setup (before the first turn) and landing ---
  z.object({ kind: z.literal('setup_started'), goalId, setup: WorktreeSetupSchema, workspacePath: z.string() }),
  z.object({
    kind: z.literal('setup_output'),
    goalId,
    /** Index of the setup step: copy/link steps report as -1. */
    commandIndex: z.number().int(),
    stream: z.enum(['stdout', 'stderr', 'info']),
    text: z.string(),
    elapsedMs: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('setup_finished'),
    goalId,
    ok: z.boolean(),
    cancelled: z.boolean().default(false),
    /** The failing command (null when setup passed or failed outside a command). */
    command: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    /** The last lines of the failing command's output. */
    outputTail: z.string().default(''),
    message: z.string(),
    elapsedMs: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('goal_landed'), goalId, landing: LandingSchema }),
  // --- budgets that pause and ask, and continuing a goal that ended ---
  /** The goal reached a cap of `axis` and waits: "+N and continue" (goal.extendBudget) or "End" (goal.endAtCap). */
  z.object({
    kind: z.literal('budget_paused'),
    goalId,
    axis: ExtendableAxisSchema,
    usage: BudgetUsageSchema,
    budget: BudgetGuardsSchema,
  }),
  /** The operator gave the goal more budget: `budget` is the budget now in force. */
  z.object({ kind: z.literal('budget_extended'), goalId, budget: BudgetGuardsSchema }),
  /** A goal that had ended goes on with the operator's note, in the same workspace and session, with `budget`. */
  z.object({ kind: z.literal('goal_continued'), goalId, note: z.string(), budget: BudgetGuardsSchema }),
  /** What the running turn has used so far, from each assistant message (`costUsd` estimated until the turn ends). */
  z.object({
    kind: z.literal('turn_usage'),
    goalId,
    turnIndex,
    tokens: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative().nullable(),
  }),
]);
export type DriverEvent = z.infer<typeof DriverEventSchema>;
export type DriverEventKind = DriverEvent['kind'];
