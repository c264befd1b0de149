// Goal domain: what a goal is, its budget and usage, acceptance criteria and verdicts, attempt
// outcomes, replay decisions and the goal's final outcome (docs/driver.md explains how the driver uses
// them), with camelCase fields and snake_case `kind` tags. Durations are milliseconds.
import { z } from 'zod';

export const GoalIdSchema = z.uuid();
export type GoalId = z.infer<typeof GoalIdSchema>;

/** Budget caps. `>=` comparisons, first exhausted axis wins, in the order of BUDGET_AXES. */
export const BudgetGuardsSchema = z.object({
  maxTurns: z.number().int().nonnegative(),
  maxWallTimeMs: z.number().int().nonnegative(),
  maxTokens: z.number().int().nonnegative(),
  /** Cost cap in USD from the CLI's total_cost_usd; null means no cap. */
  maxCostUsd: z.number().nonnegative().nullable().default(null),
  maxConsecutiveDenies: z.number().int().nonnegative(),
  /** 0 turns the axis off. */
  maxConsecutiveErrors: z.number().int().nonnegative().default(5),
  /** 0 turns the axis off. */
  maxConsecutive413: z.number().int().nonnegative().default(2),
});
export type BudgetGuards = z.infer<typeof BudgetGuardsSchema>;

export const DEFAULT_BUDGET: BudgetGuards = {
  maxTurns: 40,
  maxWallTimeMs: 4 * 3_600_000,
  maxTokens: 2_000_000,
  maxCostUsd: null,
  maxConsecutiveDenies: 3,
  maxConsecutiveErrors: 5,
  maxConsecutive413: 2,
};

export const BUDGET_AXES = [
  'turns',
  'wall_time',
  'tokens',
  'cost',
  'consecutive_denies',
  'consecutive_errors',
  'consecutive_413',
] as const;
export const BudgetAxisSchema = z.enum(BUDGET_AXES);
export type BudgetAxis = z.infer<typeof BudgetAxisSchema>;

export const BudgetUsageSchema = z.object({
  turns: z.number().int().nonnegative().default(0),
  wallTimeMs: z.number().int().nonnegative().default(0),
  tokens: z.number().int().nonnegative().default(0),
  costUsd: z.number().nonnegative().default(0),
  consecutiveDenies: z.number().int().nonnegative().default(0),
  consecutiveErrors: z.number().int().nonnegative().default(0),
  consecutive413: z.number().int().nonnegative().default(0),
});
export type BudgetUsage = z.infer<typeof BudgetUsageSchema>;

export const ZERO_USAGE: BudgetUsage = {
  turns: 0,
  wallTimeMs: 0,
  tokens: 0,
  costUsd: 0,
  consecutiveDenies: 0,
  consecutiveErrors: 0,
  consecutive413: 0,
};

export const AcceptanceCriterionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('shell_command'),
    command: z.string().min(1),
    expectedExit: z.number().int().default(0),
    stdoutMustMatch: z.string().nullable().default(null),
    /** 0 means the evaluator's default. */
    timeoutSecs: z.number().int().nonnegative().default(300),
  }),
  z.object({
    kind: z.literal('file_matches'),
    /** Relative to the workspace; must stay inside it. */
    path: z.string().min(1),
    regex: z.string(),
    required: z.boolean().default(true),
  }),
  /** The working tree has no uncommitted change (`git status --porcelain` is empty). */
  z.object({ kind: z.literal('git_clean') }),
  /** No path changed since the goal's base commit matches one of the globs. */
  z.object({ kind: z.literal('no_paths_touched'), globs: z.array(z.string().min(1)).min(1) }),
  /** A read-only Claude call judges the goal's cumulative diff against this text (PASS or FAIL). */
  z.object({ kind: z.literal('llm_judge'), criterionText: z.string().min(1) }),
]);
export type AcceptanceCriterion = z.infer<typeof AcceptanceCriterionSchema>;

export const AcceptanceFailureSchema = z.object({
  criterionIndex: z.number().int().nonnegative(),
  criterionLabel: z.string(),
  message: z.string(),
  evidence: z.string().nullable().default(null),
});
export type AcceptanceFailure = z.infer<typeof AcceptanceFailureSchema>;

export const AcceptanceVerdictSchema = z.object({
  met: z.boolean(),
  failures: z.array(AcceptanceFailureSchema).default([]),
  evaluatedAt: z.string(),
  elapsedMs: z.number().int().nonnegative(),
  /** What the checks themselves spent (the judge's Claude calls); counted in the goal's budget. Absent: nothing. */
  costUsd: z.number().nonnegative().optional(),
  tokens: z.number().int().nonnegative().optional(),
});
export type AcceptanceVerdict = z.infer<typeof AcceptanceVerdictSchema>;

export const PermissionModeSchema = z.enum(['ask', 'allow-edits', 'allow-all', 'deny']);
export type PermissionMode = z.infer<typeof PermissionModeSchema>;

/** Per-goal Claude tool options (all passed to every turn). */
export const GoalToolsSchema = z.object({
  /** --allowedTools: tools Claude runs without asking (e.g. "Read", "Bash(git diff:*)"). */
  allowed: z.array(z.string().min(1)).default([]),
  /** --disallowedTools: tools Claude may not use at all. */
  disallowed: z.array(z.string().min(1)).default([]),
  /** --add-dir: extra directories (absolute) Claude may work in besides the workspace. */
  addDirs: z.array(z.string().min(1)).default([]),
  /** --append-system-prompt. */
  appendSystemPrompt: z.string().nullable().default(null),
});
export type GoalTools = z.infer<typeof GoalToolsSchema>;
export const NO_GOAL_TOOLS: GoalTools = { allowed: [], disallowed: [], addDirs: [], appendSystemPrompt: null };

export const GoalSchema = z.object({
  id: GoalIdSchema,
  description: z.string().min(1),
  acceptance: z.array(AcceptanceCriterionSchema),
  budget: BudgetGuardsSchema,
  /** The repository the goal works on (absolute path). */
  repoPath: z.string().min(1),
  /** true: work in the repository's own working tree; false: a worktree on overseer/<short id>. */
  inPlace: z.boolean().default(false),
  model: z.string().nullable().default(null),
  permissionMode: PermissionModeSchema.default('ask'),
  /** Turn timeout: ms without output from Claude (operator waits excluded); null = the host's default (10 min), 0 = none. */
  turnTimeoutMs: z.number().int().nonnegative().nullish(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.string(),
  /** Absent on goals created before per-goal tools existed: read it through goalTools(). */
  tools: GoalToolsSchema.optional(),
  /** At a turns/wall-time/tokens/cost cap: pause and ask, or end. Absent (older goals): end. Read it through onBudgetOf(). */
  onBudget: z.enum(['pause', 'end']).optional(),
});
export type Goal = z.infer<typeof GoalSchema>;

export function goalTools(goal: Pick<Goal, 'tools'>): GoalTools {
  return goal.tools ?? NO_GOAL_TOOLS;
}

/**
 * Why Overseer itself ended an attempt in `continue` or `escalate`. The replay policy decides on this,
 * never on the reason's wording (that is for people). Absent: the reason is Claude Code's own error text.
 */
export const AttemptCauseSchema = z.enum([
  'turn_timeout',
  'session_invalid',
  'no_result',
  'max_turns',
  'stopped_by_operator',
  'no_session_to_compact',
  'permission_tool_missing',
]);
export type AttemptCause = z.infer<typeof AttemptCauseSchema>;
export const OnBudgetSchema = z.enum(['pause', 'end']);
export type OnBudget = z.infer<typeof OnBudgetSchema>;

export function onBudgetOf(goal: Pick<Goal, 'onBudget'>): OnBudget {
  return goal.onBudget ?? 'end';
}

export const AttemptOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('done') }),
  z.object({ kind: z.literal('needs_retry'), failures: z.array(AcceptanceFailureSchema) }),
  z.object({ kind: z.literal('continue'), reason: z.string(), cause: AttemptCauseSchema.optional() }),
  z.object({ kind: z.literal('sleep'), durationMs: z.number().int().nonnegative(), reason: z.string() }),
  z.object({ kind: z.literal('budget_exhausted'), axis: BudgetAxisSchema }),
  z.object({ kind: z.literal('cancelled') }),
  z.object({ kind: z.literal('escalate'), reason: z.string(), cause: AttemptCauseSchema.optional() }),
]);
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;

export const ReplayDecisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fresh_session_retry'), rollbackTo: z.string().nullable() }),
  z.object({ kind: z.literal('next_turn'), rollbackTo: z.string().nullable() }),
  z.object({ kind: z.literal('compact_and_retry') }),
  z.object({ kind: z.literal('escalate'), reason: z.string() }),
]);
export type ReplayDecision = z.infer<typeof ReplayDecisionSchema>;

/** Files changed by one turn (pre snapshot → post snapshot), as `git diff --stat` counts them. */
export const DiffFileStatSchema = z.object({
  path: z.string(),
  oldPath: z.string().nullable().default(null),
  status: z.enum(['added', 'modified', 'deleted', 'renamed', 'type_changed']),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  binary: z.boolean(),
});
export type DiffFileStat = z.infer<typeof DiffFileStatSchema>;

export const DiffStatSchema = z.object({
  files: z.array(DiffFileStatSchema),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
});
export type DiffStat = z.infer<typeof DiffStatSchema>;

export const AttemptResultSchema = z.object({
  goalId: GoalIdSchema,
  turnIndex: z.number().int().nonnegative(),
  outcome: AttemptOutcomeSchema,
  usageAfter: BudgetUsageSchema,
  acceptance: AcceptanceVerdictSchema.nullable().default(null),
  finalText: z.string().nullable().default(null),
  sessionId: z.string().nullable().default(null),
  /** Tokens and cost this attempt alone used. */
  turnTokens: z.number().int().nonnegative().default(0),
  turnCostUsd: z.number().nonnegative().default(0),
  permissionDenials: z.number().int().nonnegative().default(0),
  preCheckpoint: z.string().nullable().default(null),
  postCheckpoint: z.string().nullable().default(null),
  diffStat: DiffStatSchema.nullable().default(null),
});
export type AttemptResult = z.infer<typeof AttemptResultSchema>;

export const GoalStatusSchema = z.enum([
  'pending',
  /** Waiting for a free slot (Settings → maximum goals running at once); starts in queue order. */
  'queued',
  'running',
  'paused',
  'sleeping',
  'done',
  'budget_exhausted',
  'escalated',
  'cancelled',
  'failed',
  'interrupted',
  /** Worktree setup failed before any turn; "Retry setup" (goal.restart) runs it again. */
  'setup_failed',
]);
export type GoalStatus = z.infer<typeof GoalStatusSchema>;

export const GoalOutcomeSchema = z.object({
  goalId: GoalIdSchema,
  outcome: AttemptOutcomeSchema,
  /** Set when the goal ended because something threw (goal_completed is still published). */
  error: z.string().nullable().default(null),
  totalTurns: z.number().int().nonnegative(),
  usage: BudgetUsageSchema,
  finalText: z.string().nullable(),
  acceptance: AcceptanceVerdictSchema.nullable(),
  elapsedMs: z.number().int().nonnegative(),
});
export type GoalOutcome = z.infer<typeof GoalOutcomeSchema>;

/** The status a goal ends in, from its final outcome. */
export function statusForOutcome(outcome: GoalOutcome): GoalStatus {
  if (outcome.error !== null) return 'failed';
  switch (outcome.outcome.kind) {
    case 'done':
      return 'done';
    case 'budget_exhausted':
      return 'budget_exhausted';
    case 'cancelled':
      return 'cancelled';
    case 'escalate':
    case 'needs_retry':
    case 'continue':
    case 'sleep':
      return 'escalated';
  }
}
