// Worktree setup and landing: a repository's setup settings (commands run in a new worktree before
// the first turn, ignored files copied in, folders shared with the main checkout), the lockfile
// hint, and what landing a goal produced.
import { z } from 'zod';

export const WorktreeSetupSchema = z.object({
  /** Shell commands run in order in the new worktree (e.g. `npm ci`); the first failure stops setup. */
  commands: z.array(z.string().trim().min(1)).default([]),
  /** Globs of ignored/untracked files copied from the repository (e.g. `.env`, `config/*.local.json`). */
  copy: z.array(z.string().trim().min(1)).default([]),
  /** Folders linked (symlinked) from the main checkout instead of rebuilt, e.g. `node_modules`: shared, not isolated. */
  shared: z.array(z.string().trim().min(1)).default([]),
});
export type WorktreeSetup = z.infer<typeof WorktreeSetupSchema>;

export const EMPTY_SETUP: WorktreeSetup = { commands: [], copy: [], shared: [] };

export function setupIsEmpty(setup: WorktreeSetup): boolean {
  return setup.commands.length === 0 && setup.copy.length === 0 && setup.shared.length === 0;
}

/** "package-lock.json found: add `npm ci` as a setup command?" */
export const LockfileHintSchema = z.object({ lockfile: z.string(), command: z.string(), message: z.string() });
export type LockfileHint = z.infer<typeof LockfileHintSchema>;

export const RepositorySettingsSchema = z.object({
  repoPath: z.string().min(1),
  setup: WorktreeSetupSchema,
  updatedAt: z.string(),
});
export type RepositorySettings = z.infer<typeof RepositorySettingsSchema>;

export const LandActionSchema = z.enum(['commit', 'merge', 'rebase', 'pr', 'cleanup']);
export type LandAction = z.infer<typeof LandActionSchema>;

/** What a landing step did (also the payload of the `goal_landed` event). */
export const LandingSchema = z.object({
  action: LandActionSchema,
  /** The goal's branch (null in place: the current branch is `into`). */
  branch: z.string().nullable(),
  /** The commit the step produced or moved to. */
  commit: z.string().nullable(),
  /** The branch merged or rebased onto. */
  into: z.string().nullable().default(null),
  fastForward: z.boolean().default(false),
  url: z.string().nullable().default(null),
  message: z.string(),
});
export type Landing = z.infer<typeof LandingSchema>;

/**
 * How one file conflicts when the goal's work meets the base branch (a rebase or a merge). The
 * sides are named for what they are here, not git's "ours"/"theirs" (which swap in a rebase):
 * `base` is the branch landed into, `goal` the goal's work.
 */
export const ConflictKindSchema = z.enum([
  'both_modified',
  'both_added',
  'both_deleted',
  'deleted_by_goal',
  'deleted_on_base',
  'added_by_goal',
  'added_on_base',
]);
export type ConflictKind = z.infer<typeof ConflictKindSchema>;

export const FileConflictSchema = z.object({ path: z.string(), kind: ConflictKindSchema });
export type FileConflict = z.infer<typeof FileConflictSchema>;

/** The conflict in plain words, naming the base branch (git's own term in parentheses). */
export function describeConflict(kind: ConflictKind, base: string): string {
  switch (kind) {
    case 'both_modified':
      return `changed by the goal and on ${base} (both modified)`;
    case 'both_added':
      return `added by the goal and on ${base} with different content (both added)`;
    case 'both_deleted':
      return `deleted on both sides, each renaming it differently (both deleted)`;
    case 'deleted_by_goal':
      return `deleted by the goal, changed on ${base}`;
    case 'deleted_on_base':
      return `deleted on ${base}, changed by the goal`;
    case 'added_by_goal':
      return `added by the goal where ${base} has a clash (a rename or a file/folder clash)`;
    case 'added_on_base':
      return `added on ${base} where the goal has a clash (a rename or a file/folder clash)`;
  }
}

/** A short label for lists: "both modified", "deleted on main", "deleted by the goal"... */
export function conflictLabel(kind: ConflictKind, base: string): string {
  switch (kind) {
    case 'both_modified':
      return 'both modified';
    case 'both_added':
      return 'both added';
    case 'both_deleted':
      return 'both deleted';
    case 'deleted_by_goal':
      return 'deleted by the goal';
    case 'deleted_on_base':
      return `deleted on ${base}`;
    case 'added_by_goal':
      return 'added by the goal';
    case 'added_on_base':
      return `added on ${base}`;
  }
}

/** "a.txt (both modified), b.txt (deleted on main)". */
export function listConflicts(conflicts: readonly FileConflict[], base: string): string {
  return conflicts.map((conflict) => `${conflict.path} (${conflictLabel(conflict.kind, base)})`).join(', ');
}
