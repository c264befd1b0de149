// Public surface of the workspace manager (per-goal worktrees, checkpoints, diffs, rollback).
export { GitWorkspaceManager } from './manager.js';
export type { GitWorkspaceManagerOptions, CheckpointResult } from './manager.js';
export type { CumulativeDiff } from './diff-stat.js';
export { WorkspaceError, WORKSPACE_ERROR_CODES, isWorkspaceError } from './errors.js';
export type { WorkspaceErrorCode } from './errors.js';
export { NO_GIT_METADATA_KEY } from './ensure.js';
export { inspectRepository, type RepositoryState } from './inspect.js';
export type { DeleteWorkspaceOptions, DeleteWorkspaceResult } from './delete.js';
export type { GitFilePatch, TurnPatch } from './patch.js';
export { DEFAULT_MAX_BYTES_FILE_PATCH, DEFAULT_MAX_BYTES_PER_FILE } from './patch.js';
export type { RollbackResult } from './rollback.js';
export type { CheckpointInfo, CheckpointPhase } from './refs.js';
export { SNAPSHOT_AUTHOR, branchName, baseRef, checkpointRef, goalRefPrefix } from './refs.js';
export type { RevertResult, RevertTarget } from './revert.js';
export { splitHunks } from './revert.js';
