// Goal commands: create, list, inspect, control, page the timeline, diffs and rollback.
import { z } from 'zod';
import { GOAL_LIST_MAX_LIMIT } from '../domain/goal-list.js';
import {
  AcceptanceCriterionSchema,
  BudgetGuardsSchema,
  DiffStatSchema,
  GoalIdSchema,
  GoalStatusSchema,
  GoalToolsSchema,
  NO_GOAL_TOOLS,
  OnBudgetSchema,
  PermissionModeSchema,
} from '../domain/goal.js';
import { BudgetExtensionSchema } from '../domain/budget-extension.js';
import { GoalPermissionPolicySchema } from '../domain/permission-policy.js';
import { WorktreeSetupSchema } from '../domain/landing.js';
import {
  FilePatchSchema,
  GoalDetailSchema,
  GoalSummarySchema,
  LoggedEventSchema,
  SearchHitSchema,
} from '../domain/views.js';

const goalRef = z.object({ goalId: GoalIdSchema }).strict();
const done = z.object({ ok: z.literal(true) });

export const goalCommands = {
  'repo.validate': {
    request: z.object({ path: z.string() }).strict(),
    response: z.object({
      ok: z.boolean(),
      /** Absolute, resolved path. */
      path: z.string(),
      message: z.string(),
      head: z.string().nullable(),
      branch: z.string().nullable(),
    }),
  },
  'goal.create': {
    request: z
      .object({
        description: z.string().trim().min(1, 'describe the goal'),
        repoPath: z.string().min(1, 'choose a repository folder'),
        acceptance: z.array(AcceptanceCriterionSchema).default([]),
        budget: BudgetGuardsSchema.partial().default({}),
        model: z.string().min(1).nullable().default(null),
        permissionMode: PermissionModeSchema.default('ask'),
        inPlace: z.boolean().default(false),
        /** Claude tool options for every turn of the goal. */
        tools: GoalToolsSchema.default(NO_GOAL_TOOLS),
        /** Turn timeout (ms without output from Claude, operator waits excluded); null = the default (10 min), 0 = none. */
        turnTimeoutMs: z.number().int().nonnegative().nullish(),
        /** Start driving at once (default) or only record it. */
        start: z.boolean().default(true),
        /** The goal's own rules (`overseer run --permissions rules:FILE`), tried before stored rules. */
        permissionPolicy: GoalPermissionPolicySchema.nullable().default(null),
        /** This goal's worktree setup; omitted or null: the repository's stored settings apply. */
        setup: WorktreeSetupSchema.nullable().optional(),
        /** At a turns/wall-time/tokens/cost cap: pause and ask (the console's default) or end (`overseer run`'s). */
        onBudget: OnBudgetSchema.default('pause'),
      })
      .strict(),
    response: z.object({
      goalId: GoalIdSchema,
      /** Set when the goal waits for a free slot (1-based queue position); null when it started or was only recorded. */
      queuePosition: z.number().int().positive().nullable().default(null),
    }),
  },
  'goals.list': {
    request: z
      .object({
        /** How many goals, newest first (default GOAL_LIST_DEFAULT_LIMIT). */
        limit: z.number().int().min(1).max(GOAL_LIST_MAX_LIMIT).optional(),
        /** Only the goals in these statuses (`total` then counts only those). */
        statuses: z.array(GoalStatusSchema).min(1).max(GoalStatusSchema.options.length).optional(),
      })
      .strict(),
    response: z.object({
      goals: z.array(GoalSummarySchema),
      /**
       * How many goals there are in all (in the asked statuses, when given): more than `goals` holds
       * when the list stopped at its limit.
       */
      total: z.number().int().nonnegative().optional(),
    }),
  },
  'goal.get': { request: goalRef, response: GoalDetailSchema },
  'goal.events': {
    request: z
      .object({
        goalId: GoalIdSchema,
        /** Page backwards from here (exclusive); omit for the newest page. */
        beforeSeq: z.number().int().nonnegative().optional(),
        /** Or forwards from here (exclusive). */
        afterSeq: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
        /**
         * Paging backwards (no afterSeq): leave out the newest `skip` events before beforeSeq first. A
         * goal's events before a seq never change, so pages asked for from one beforeSeq with growing
         * skips follow on from each other: the next pages can be asked for before this one arrives.
         */
        skip: z.number().int().min(0).max(100_000_000).optional(),
        /**
         * Cut long display texts (Claude's messages, tool inputs and results, prompts) to this many
         * characters, for a timeline that shows a preview; omit for the events whole.
         */
        clipTextsAt: z.number().int().min(300).max(1_000_000).optional(),
      })
      .strict()
      .refine((request) => request.skip === undefined || request.afterSeq === undefined, {
        message: 'skip pages backwards: it cannot be combined with afterSeq',
        path: ['skip'],
      }),
    response: z.object({
      events: z.array(LoggedEventSchema),
      hasMore: z.boolean(),
      total: z.number().int().nonnegative(),
    }),
  },
  'goal.pause': { request: goalRef, response: done },
  'goal.resume': { request: goalRef, response: done },
  'goal.cancel': { request: goalRef, response: done },
  'goal.interrupt': {
    request: z
      .object({
        goalId: GoalIdSchema,
        message: z.string().trim().min(1, 'write a note'),
        stopTurn: z.boolean().default(false),
      })
      .strict(),
    response: z.object({ queueDepth: z.number().int().nonnegative() }),
  },
  /** More budget for a running goal ("+N and continue" at a cap); answers with the budget in force. */
  'goal.extendBudget': {
    request: z.object({ goalId: GoalIdSchema, extension: BudgetExtensionSchema }).strict(),
    response: z.object({ budget: BudgetGuardsSchema }),
  },
  /** "End" for a goal waiting at a budget cap: it ends budget-exhausted. */
  'goal.endAtCap': { request: goalRef, response: done },
  /**
   * Continue a goal that ended (done, cancelled, budget exhausted, escalated, failed; also after a
   * rollback) with a note, in the same workspace and session, its budget extended by `extension`.
   */
  'goal.continue': {
    request: z
      .object({
        goalId: GoalIdSchema,
        note: z.string().trim().min(1, 'write what Claude should do next'),
        extension: BudgetExtensionSchema.default({}),
      })
      .strict(),
    response: z.object({
      budget: BudgetGuardsSchema,
      /** Set when it waits for a free slot (1-based); null when it started. */
      queuePosition: z.number().int().positive().nullable().default(null),
    }),
  },
  'goal.raiseTurnLimit': {
    request: z.object({ goalId: GoalIdSchema, maxTurns: z.number().int().min(1) }).strict(),
    response: z.object({ maxTurns: z.number().int() }),
  },
  /** Resume a goal left interrupted by a crash or restart (queued when the running limit is reached). */
  'goal.restart': { request: goalRef, response: done },
  /** Move a queued goal one place up in the queue. */
  'goal.moveUp': { request: goalRef, response: z.object({ position: z.number().int().positive() }) },
  /** Queued goals in start order. */
  'goals.queue': { request: z.object({}).strict(), response: z.object({ goalIds: z.array(GoalIdSchema) }) },
  /** Restart every interrupted goal (each starts or is queued). */
  'goals.resumeInterrupted': {
    request: z.object({}).strict(),
    response: z.object({
      started: z.number().int().nonnegative(),
      queued: z.number().int().nonnegative(),
      failed: z.array(z.object({ goalId: GoalIdSchema, message: z.string() })),
    }),
  },
  'goal.delete': {
    request: z.object({ goalId: GoalIdSchema, keepBranch: z.boolean().default(false) }).strict(),
    response: z.object({ message: z.string() }),
  },
  'turn.diff': {
    request: z.object({ goalId: GoalIdSchema, turnIndex: z.number().int().nonnegative() }).strict(),
    response: z.object({ stat: DiffStatSchema, files: z.array(FilePatchSchema) }),
  },
  'goal.cumulativeDiff': {
    request: goalRef,
    response: z.object({ stat: DiffStatSchema, files: z.array(FilePatchSchema) }),
  },
  /** One turn's change, or the goal's whole change so far (turnIndex null), as one uncut unified diff with binary patches (for `git apply`). */
  'goal.patch': {
    request: z
      .object({ goalId: GoalIdSchema, turnIndex: z.number().int().nonnegative().nullable().default(null) })
      .strict(),
    response: z.object({ stat: DiffStatSchema, patch: z.string(), from: z.string(), to: z.string() }),
  },
  'goal.rollback': {
    request: z
      .object({
        goalId: GoalIdSchema,
        turnIndex: z.number().int().nonnegative(),
        phase: z.enum(['pre', 'post']).default('pre'),
      })
      .strict(),
    response: z.object({ sha: z.string() }),
  },
  'transcript.toolResult': {
    request: z
      .object({ goalId: GoalIdSchema, turnIndex: z.number().int().nonnegative(), toolUseId: z.string().min(1) })
      .strict(),
    response: z.object({ content: z.string(), isError: z.boolean() }),
  },
  search: {
    request: z
      .object({ query: z.string().trim().min(1), limit: z.number().int().min(1).max(200).default(50) })
      .strict(),
    response: z.object({ hits: z.array(SearchHitSchema) }),
  },
} as const;
