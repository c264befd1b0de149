// Typed errors of the workspace manager: every expected failure (missing folder, not a repository,
// a branch in the way, a bad sha, ...) is a WorkspaceError with a stable code the host can map.

export const WORKSPACE_ERROR_CODES = [
  /** repoPath does not exist. */
  'repo_missing',
  /** repoPath exists but is not a directory. */
  'not_a_directory',
  /** repoPath is not inside a git work tree (and no-git mode was not asked for). */
  'not_a_repository',
  /** repoPath is a bare repository (no working tree to work in). */
  'bare_repository',
  /** Worktree mode on a repository without commits (there is no HEAD to branch from). */
  'empty_repository',
  /** First ensure of a goal, but its branch overseer/<short id> already exists. */
  'branch_exists',
  /** <worktreesDir>/<goal id> exists but is not a worktree of this repository. */
  'worktree_conflict',
  /** The operation needs git, but the workspace is in no-git mode. */
  'no_git',
  /** A sha/tree argument is not 4..64 hex characters, or git does not know it. */
  'invalid_revision',
  /** A bad argument (turn index, goal id, path). */
  'invalid_argument',
  /** After a rollback the working tree does not hash to the target tree. */
  'rollback_mismatch',
  /** A reverse patch (revert of a file or hunk) no longer applies to the working tree: nothing changed. */
  'revert_conflict',
  /** The git executable could not be started. */
  'git_missing',
  /** A git command failed (the message carries git's stderr). */
  'git_failed',
] as const;

export type WorkspaceErrorCode = (typeof WORKSPACE_ERROR_CODES)[number];

export class WorkspaceError extends Error {
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkspaceError';
  }
}

export function isWorkspaceError(error: unknown, code?: WorkspaceErrorCode): error is WorkspaceError {
  return error instanceof WorkspaceError && (code === undefined || error.code === code);
}
