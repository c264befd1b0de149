// GitWorkspaceManager: the WorkspacePort of the driver (ensure, checkpoint, diffStat, rollback)
// plus what the host and UI need around it (patches, cumulative diff, checkpoint list, deletion).
// Calls for one goal run one at a time (they share the goal's private index); different goals run
// in parallel. The "no rollback while a turn runs" rule belongs to the driver/host.
import type { DiffStat, Goal } from '../../shared/domain/goal.js';
import type { Checkpoint, Workspace, WorkspacePort } from '../driver/ports.js';
import { WorkspaceError } from './errors.js';
import { GitRunner, type GitRunnerOptions } from './git.js';
import { ensureWorkspace } from './ensure.js';
import { deleteWorkspace, type DeleteWorkspaceOptions, type DeleteWorkspaceResult } from './delete.js';
import { diffFiles, totals } from './diff-stat.js';
import {
  DEFAULT_MAX_BYTES_PER_FILE,
  literalPathspec,
  patchesBetween,
  toFilePatch,
  type FilePatch,
  type TurnPatch,
} from './patch.js';
import {
  checkedRevision,
  checkpointOrder,
  checkpointRef,
  readCheckpoints,
  supersededCheckpointRef,
  updateRefs,
  type CheckpointInfo,
  type CheckpointPhase,
} from './refs.js';
import { restoreTree, type RollbackResult } from './rollback.js';
import { commitSnapshot, resolveRepo, snapshotTree, treeOf, type RepoContext } from './snapshot.js';

export interface GitWorkspaceManagerOptions extends GitRunnerOptions {
  /** Where goal worktrees go (DataPaths.worktreesDir). */
  worktreesDir: string;
}

export interface CheckpointResult extends Checkpoint, CheckpointInfo {
  /** The snapshot's tree. */
  tree: string;
}

export interface CumulativeDiff {
  /** The commit the goal started from. */
  baseCommit: string;
  /** The tree of the working tree now (snapshotted for this call; not kept by a ref). */
  tree: string;
  stat: DiffStat;
}

export const DEFAULT_MAX_BYTES_FILE_PATCH = 1024 * 1024;

function checkedCap(value: number | undefined, fallback: number, what: string): number {
  const cap = value ?? fallback;
  if (!Number.isSafeInteger(cap) || cap < 0) throw new WorkspaceError('invalid_argument', `${what} must be a non-negative integer`);
  return cap;
}

export class GitWorkspaceManager implements WorkspacePort {
  private readonly worktreesDir: string;
  private readonly git: GitRunner;
  private readonly contexts = new Map<string, RepoContext>();
  private readonly goalQueues = new Map<string, Promise<unknown>>();

  constructor(options: GitWorkspaceManagerOptions) {
    this.worktreesDir = options.worktreesDir;
    this.git = new GitRunner(options);
  }

  /** Creates the goal's workspace, or reopens it (reattach after a restart). */
  async ensure(goal: Goal): Promise<Workspace> {
    return this.serialized(goal.id, () => ensureWorkspace(this.git, this.worktreesDir, goal));
  }

  /** Snapshots the whole working tree (new files included, ignored ones not) into refs/overseer/<goal>/<turn>-<phase>. */
  async checkpoint(ws: Workspace, turnIndex: number, phase: CheckpointPhase): Promise<CheckpointResult> {
    const ref = checkpointRef(ws.goalId, turnIndex, phase);
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const tree = await snapshotTree(this.git, context, ws.goalId);
      const existing = await readCheckpoints(this.git, context.top, ws.goalId);
      const earlier = existing.filter((checkpoint) => checkpointOrder(checkpoint, { turnIndex, phase }) < 0);
      const parent = earlier[earlier.length - 1]?.sha ?? ws.baseCommit;
      const message = `overseer checkpoint: goal ${ws.goalId} turn ${turnIndex} ${phase}`;
      const sha = await commitSnapshot(this.git, context.top, tree, parent, message);
      // A retried turn takes its checkpoints again: the first attempt's snapshot keeps a ref of its
      // own, so it stays reachable (and is never garbage-collected) while the turns table points at it.
      const replaced = existing.find((checkpoint) => checkpoint.ref === ref && checkpoint.sha !== sha);
      const kept = replaced !== undefined ? [{ ref: supersededCheckpointRef(ws.goalId, turnIndex, phase, replaced.sha), sha: replaced.sha }] : [];
      await updateRefs(this.git, context.top, [{ ref, sha }, ...kept]);
      return { ref, sha, tree, turnIndex, phase };
    });
  }

  /** Per-file stat between two snapshots (commit or tree ids), as `git diff --numstat -M` counts. */
  async diffStat(ws: Workspace, fromSha: string, toSha: string): Promise<DiffStat> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      return totals(await diffFiles(this.git, context.top, from, to));
    });
  }

  /**
   * The patch of one file between two snapshots (`path` may be the new or the old name of a
   * renamed file), cut to `maxBytes` (default 1 MiB). Null when the file did not change.
   */
  async filePatch(ws: Workspace, fromSha: string, toSha: string, path: string, options: { maxBytes?: number } = {}): Promise<FilePatch | null> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    const maxBytes = checkedCap(options.maxBytes, DEFAULT_MAX_BYTES_FILE_PATCH, 'maxBytes');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const files = await diffFiles(this.git, context.top, from, to);
      const file = files.find((entry) => entry.path === path) ?? files.find((entry) => entry.oldPath === path);
      if (file === undefined) return null;
      const pathspecs = [...new Set([file.oldPath ?? file.path, file.path])].map(literalPathspec);
      const sections = await patchesBetween(this.git, context.top, from, to, pathspecs);
      const match =
        sections.find((section) => section.file.path === file.path && section.file.oldPath === file.oldPath) ??
        sections.find((section) => section.file.path === file.path);
      return match === undefined ? null : toFilePatch(file, match.patch, maxBytes);
    });
  }

  /** Every file's patch between two snapshots, each cut to `maxBytesPerFile` (default 256 KiB). */
  async turnPatch(ws: Workspace, fromSha: string, toSha: string, options: { maxBytesPerFile?: number } = {}): Promise<TurnPatch> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    const maxBytes = checkedCap(options.maxBytesPerFile, DEFAULT_MAX_BYTES_PER_FILE, 'maxBytesPerFile');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const files = (await patchesBetween(this.git, context.top, from, to)).map((entry) =>
        toFilePatch(entry.file, entry.patch, maxBytes),
      );
      return { from, to, files, truncatedFiles: files.filter((file) => file.truncated).length };
    });
  }

  /** The goal's whole change so far: its base commit against a snapshot of the working tree now. */
  async cumulativeDiff(ws: Workspace): Promise<CumulativeDiff> {
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const baseCommit = ws.baseCommit;
      if (baseCommit === null) throw new WorkspaceError('no_git', 'the workspace has no base commit');
      const tree = await snapshotTree(this.git, context, ws.goalId);
      return { baseCommit, tree, stat: totals(await diffFiles(this.git, context.top, baseCommit, tree)) };
    });
  }

  /** Restores the working tree to a snapshot (commit or tree id) exactly; verified by re-hashing. */
  async rollback(ws: Workspace, sha: string): Promise<void> {
    await this.rollbackDetailed(ws, sha);
  }

  /** rollback, saying what it changed (for the rollback event). */
  async rollbackDetailed(ws: Workspace, sha: string): Promise<RollbackResult> {
    const target = checkedRevision(sha, 'sha');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const targetTree = await treeOf(this.git, context.top, target);
      return restoreTree(this.git, context, ws.goalId, targetTree);
    });
  }

  /** The goal's checkpoints, by turn then phase (pre before post). Empty for no-git workspaces. */
  async listCheckpoints(ws: Workspace): Promise<CheckpointInfo[]> {
    if (ws.kind === 'no_git') return [];
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      return readCheckpoints(this.git, context.top, ws.goalId);
    });
  }

  /** Removes the worktree, the branch (unless it has the user's commits, or keepBranch) and the goal's refs. */
  async deleteWorkspace(ws: Workspace, options: DeleteWorkspaceOptions = {}): Promise<DeleteWorkspaceResult> {
    return this.serialized(ws.goalId, async () => {
      const result = await deleteWorkspace(this.git, this.worktreesDir, ws, options);
      this.contexts.delete(ws.path);
      return result;
    });
  }

  private async context(ws: Workspace): Promise<RepoContext> {
    if (ws.kind === 'no_git') {
      throw new WorkspaceError('no_git', `the workspace of goal ${ws.goalId} is in no-git mode: no checkpoints, diffs or rollback`);
    }
    const cached = this.contexts.get(ws.path);
    if (cached !== undefined) return cached;
    const context = await resolveRepo(this.git, ws.path);
    this.contexts.set(ws.path, context);
    return context;
  }

  /** Runs `task` after every earlier call for the same goal has settled. */
  private serialized<T>(goalId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.goalQueues.get(goalId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.goalQueues.set(goalId, settled);
    void settled.then(() => {
      if (this.goalQueues.get(goalId) === settled) this.goalQueues.delete(goalId);
    });
    return run;
  }
}
