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
