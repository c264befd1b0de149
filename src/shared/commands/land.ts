// Repository setup settings and landing commands: per-repository worktree setup, the Land panel's
// preview and steps (commit, merge, rebase, pull request), opening the worktree, cleaning up.
import { z } from 'zod';
import { GoalIdSchema } from '../domain/goal.js';
import {
  FileConflictSchema,
  LandingSchema,
  LockfileHintSchema,
  RepositorySettingsSchema,
  WorktreeSetupSchema,
} from '../domain/landing.js';

const goalRef = z.object({ goalId: GoalIdSchema }).strict();

export const LandPreviewSchema = z.object({
  /** worktree: every step; in_place: commit and open; none: nothing to land (no git, not started). */
  kind: z.enum(['worktree', 'in_place', 'none']),
  reason: z.string().nullable(),
  workspacePath: z.string().nullable(),
  branch: z.string().nullable(),
  /** The branch to merge into (the one checked out in the repository), null on a detached HEAD. */
  baseBranch: z.string().nullable(),
  /** The base branch has commits the goal's branch does not: offer a rebase. */
  baseMoved: z.boolean(),
  /** Changed files not committed anywhere (worktree vs. the goal branch's tip; in place: vs. the goal's base). */
  uncommittedFiles: z.number().int().nonnegative(),
  draftMessage: z.string(),
  /** Null when a pull request can be opened; else what is missing. */
  prMissing: z.string().nullable(),
  running: z.boolean(),
  landed: z.object({ landing: LandingSchema, at: z.string() }).nullable(),
});
export type LandPreview = z.infer<typeof LandPreviewSchema>;

/**
 * How much more a goal handed back to Claude may use, explicitly: `turns` more counted turns at
 * most (the turn limit becomes the turns so far plus these); wall time, tokens and cost are raised
 * by the given amounts over what is used already (omitted: the goal's limit stays).
 */
export const BudgetExtensionSchema = z
  .object({
    turns: z.number().int().min(1, 'at least one more turn').max(1000),
    wallTimeMs: z.number().int().positive().optional(),
    tokens: z.number().int().positive().optional(),
    costUsd: z.number().positive().optional(),
  })
  .strict();
export type BudgetExtension = z.infer<typeof BudgetExtensionSchema>;

export const landCommands = {
  'repo.settings.get': {
    request: z.object({ repoPath: z.string().min(1) }).strict(),
    response: z.object({
      repoPath: z.string(),
      setup: WorktreeSetupSchema,
      stored: z.boolean(),
      lockfileHint: LockfileHintSchema.nullable(),
    }),
  },
  'repo.settings.list': {
    request: z.object({}).strict(),
    response: z.object({ repositories: z.array(RepositorySettingsSchema) }),
  },
  'repo.settings.update': {
    request: z.object({ repoPath: z.string().min(1), setup: WorktreeSetupSchema }).strict(),
    response: RepositorySettingsSchema,
  },
  'repo.settings.delete': {
    request: z.object({ repoPath: z.string().min(1) }).strict(),
    response: z.object({ deleted: z.boolean() }),
  },
  'land.preview': { request: goalRef, response: LandPreviewSchema },
  'land.commit': {
    request: z
      .object({
        goalId: GoalIdSchema,
        message: z.string().trim().min(1, 'write a commit message'),
        perTurn: z.boolean().default(false),
      })
      .strict(),
    response: LandingSchema,
  },
  'land.merge': {
    request: z
      .object({
        goalId: GoalIdSchema,
        message: z.string().trim().min(1, 'write a commit message'),
        squash: z.boolean().default(true),
        into: z.string().min(1).optional(),
      })
      .strict(),
    response: LandingSchema,
  },
  'land.rebase': {
    request: z.object({ goalId: GoalIdSchema, into: z.string().min(1).optional() }).strict(),
    response: z.object({
      ok: z.boolean(),
      /** The branch rebased onto. */
      onto: z.string(),
      /** Each conflicted file with how it conflicts (both modified, deleted on the base...). */
      conflicts: z.array(FileConflictSchema),
      /** A note for Claude's next turn describing the conflict (when there is one). */
      conflictNote: z.string().nullable(),
      landing: LandingSchema.nullable(),
    }),
  },
  'land.pr': {
    request: z
      .object({
        goalId: GoalIdSchema,
        title: z.string().trim().min(1),
        body: z.string().default(''),
        into: z.string().min(1).optional(),
      })
      .strict(),
    response: LandingSchema,
  },
  'goal.open': {
    /** path: only say where it is; editor, terminal, or folder (the desktop's file manager). */
    request: z
      .object({ goalId: GoalIdSchema, target: z.enum(['path', 'editor', 'terminal', 'folder']).default('path') })
      .strict(),
    response: z.object({ path: z.string(), opened: z.boolean(), message: z.string() }),
  },
  'goal.cleanup': { request: goalRef, response: z.object({ message: z.string() }) },
  /**
   * Hands a note (a rebase conflict) to Claude: a running goal gets it as its next turn's note; a
   * goal that ended (done, cancelled, out of budget, failed, interrupted) runs again, in the same
   * worktree and session, with the note and the budget extension.
   */
  'land.handToClaude': {
    request: z
      .object({
        goalId: GoalIdSchema,
        note: z.string().trim().min(1, 'write a note for Claude'),
        extend: BudgetExtensionSchema,
      })
      .strict(),
    response: z.object({
      /** true: the goal was started again; false: it was running and the note waits for its next turn. */
      continued: z.boolean(),
      /** The goal's turn limit now (null when it was running and kept its own). */
      maxTurns: z.number().int().nullable(),
      message: z.string(),
    }),
  },
  /** The editor "Open in editor" uses when the editor command setting is empty (null: none found). */
  'editor.detect': { request: z.object({}).strict(), response: z.object({ detected: z.string().nullable() }) },
} as const;
