// GitWorkspaceManager: the WorkspacePort of the driver (ensure, checkpoint, diffStat, rollback)
// plus what the host and UI need around it (patches, cumulative diff, checkpoint list, deletion).
// Calls for one goal run one at a time (they share the goal's private index); different goals run
// in parallel. The "no rollback while a turn runs" rule belongs to the driver/host.
import type { DiffFileStat, DiffStat, Goal } from '../../shared/domain/goal.js';
import type { Checkpoint, Workspace, WorkspacePort } from '../driver/ports.js';
import { WorkspaceError } from './errors.js';
import { GitRunner, type GitRunnerOptions } from './git.js';
import { ensureWorkspace } from './ensure.js';
import { deleteGoalRefs, deleteWorkspace, type DeleteWorkspaceOptions, type DeleteWorkspaceResult } from './delete.js';
import { diffFiles, totals } from './diff-stat.js';
import { fullPatchBetween } from './full-patch.js';
import {
  DEFAULT_MAX_BYTES_PER_FILE,
  literalPathspec,
  patchesBetween,
  toGitFilePatch,
  type GitFilePatch,
  type TurnPatch,
} from './patch.js';
import {
  checkedGoalId,
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
import { revertChange, type RevertResult, type RevertTarget } from './revert.js';
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

interface SpeculativeDiff {
  from: string;
  toTree: string;
  /** The commit of `toTree`, once written. */
  to: string | null;
  files: Promise<DiffFileStat[]>;
}

export const DEFAULT_MAX_BYTES_FILE_PATCH = 1024 * 1024;

function checkedCap(value: number | undefined, fallback: number, what: string): number {
  const cap = value ?? fallback;
  if (!Number.isSafeInteger(cap) || cap < 0)
    throw new WorkspaceError('invalid_argument', `${what} must be a non-negative integer`);
  return cap;
}

export class GitWorkspaceManager implements WorkspacePort {
  private readonly worktreesDir: string;
  private readonly git: GitRunner;
  private readonly contexts = new Map<string, RepoContext>();
  private readonly goalQueues = new Map<string, Promise<unknown>>();
  /** The last checkpoint this manager wrote per goal (to reuse its commit when the tree is unchanged). */
  private readonly lastCheckpoint = new Map<string, { sha: string; tree: string }>();
  /** A post checkpoint's diff against its turn's pre checkpoint, started early (see checkpoint). */
  private readonly speculativeDiffs = new Map<string, SpeculativeDiff>();

  constructor(options: GitWorkspaceManagerOptions) {
    this.worktreesDir = options.worktreesDir;
    this.git = new GitRunner(options);
  }

  /** Creates the goal's workspace, or reopens it (reattach after a restart). */
  async ensure(goal: Goal): Promise<Workspace> {
    return this.serialized(goal.id, () => ensureWorkspace(this.git, this.worktreesDir, goal));
  }

  /**
   * Snapshots the whole working tree (new files included, ignored ones not) into
   * refs/overseer/<goal>/<turn>-<phase>. Kept cheap (bench/checkpoint): the snapshot and the read of
   * the goal's refs run side by side; when the tree equals the previous checkpoint's (nothing touched
   * the working tree since, e.g. turn N's post and turn N+1's pre), that commit is reused and only the
   * ref is written; and a post checkpoint starts the diff against its turn's pre checkpoint while the
   * commit is written, so the driver's diffStat right after finds it done.
   */
  async checkpoint(ws: Workspace, turnIndex: number, phase: CheckpointPhase): Promise<CheckpointResult> {
    const ref = checkpointRef(ws.goalId, turnIndex, phase);
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const [tree, checkpoints] = await Promise.all([
        snapshotTree(this.git, context, ws.goalId),
        readCheckpoints(this.git, context.top, ws.goalId),
      ]);
      const earlier = checkpoints.filter((checkpoint) => checkpointOrder(checkpoint, { turnIndex, phase }) < 0);
      const previous = earlier[earlier.length - 1];
      const parent = previous?.sha ?? ws.baseCommit;
      const known = this.lastCheckpoint.get(ws.goalId);
      let sha: string;
      if (previous !== undefined && known !== undefined && known.sha === previous.sha && known.tree === tree) {
        sha = previous.sha;
      } else {
        if (
          phase === 'post' &&
          previous !== undefined &&
          previous.turnIndex === turnIndex &&
          previous.phase === 'pre'
        ) {
          this.startSpeculativeDiff(ws.goalId, context, previous.sha, tree);
        }
        const message = `overseer checkpoint: goal ${ws.goalId} turn ${turnIndex} ${phase}`;
        sha = await commitSnapshot(this.git, context.top, tree, parent, message);
      }
      // A retried turn takes its checkpoints again: the first attempt's snapshot keeps a ref of its
      // own, so it stays reachable (and is never garbage-collected) while the turns table points at it.
      const replaced = checkpoints.find((checkpoint) => checkpoint.ref === ref && checkpoint.sha !== sha);
      const kept =
        replaced !== undefined
          ? [{ ref: supersededCheckpointRef(ws.goalId, turnIndex, phase, replaced.sha), sha: replaced.sha }]
          : [];
      await updateRefs(this.git, context.top, [{ ref, sha }, ...kept]);
      this.lastCheckpoint.set(ws.goalId, { sha, tree });
      const speculative = this.speculativeDiffs.get(ws.goalId);
      if (speculative !== undefined && speculative.toTree === tree) speculative.to = sha;
      return { ref, sha, tree, turnIndex, phase };
    });
  }

  /** Per-file stat between two snapshots (commit or tree ids), as `git diff --numstat -M` counts. */
  async diffStat(ws: Workspace, fromSha: string, toSha: string): Promise<DiffStat> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const speculative = this.speculativeDiffs.get(ws.goalId);
      if (
        speculative !== undefined &&
        speculative.from === from &&
        (speculative.to === to || speculative.toTree === to)
      ) {
        this.speculativeDiffs.delete(ws.goalId);
        const files = await speculative.files.catch(() => null);
        if (files !== null) return totals(files);
      }
      return totals(await diffFiles(this.git, context.top, from, to));
    });
  }

  /** Starts the diff `from` → `toTree` now; diffStat takes it when asked for exactly that pair. */
  private startSpeculativeDiff(goalId: string, context: RepoContext, from: string, toTree: string): void {
    const files = diffFiles(this.git, context.top, from, toTree);
    files.catch(() => undefined); // a failure only means diffStat runs the diff itself
    this.speculativeDiffs.set(goalId, { from, toTree, to: null, files });
  }

  /**
   * The patch of one file between two snapshots (`path` may be the new or the old name of a
   * renamed file), cut to `maxBytes` (default 1 MiB). Null when the file did not change.
   */
  async filePatch(
    ws: Workspace,
    fromSha: string,
    toSha: string,
    path: string,
    options: { maxBytes?: number } = {},
  ): Promise<GitFilePatch | null> {
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
      return match === undefined ? null : toGitFilePatch(file, match.patch, maxBytes);
    });
  }

  /** Every file's patch between two snapshots, each cut to `maxBytesPerFile` (default 256 KiB). */
  async turnPatch(
    ws: Workspace,
    fromSha: string,
    toSha: string,
    options: { maxBytesPerFile?: number } = {},
  ): Promise<TurnPatch> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    const maxBytes = checkedCap(options.maxBytesPerFile, DEFAULT_MAX_BYTES_PER_FILE, 'maxBytesPerFile');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const files = (await patchesBetween(this.git, context.top, from, to)).map((entry) =>
        toGitFilePatch(entry.file, entry.patch, maxBytes),
      );
      return { from, to, files, truncatedFiles: files.filter((file) => file.truncated).length };
    });
  }

  /** The whole patch between two snapshots, uncut and with binary files, for `git apply`. */
  async fullPatch(ws: Workspace, fromSha: string, toSha: string): Promise<string> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    return this.serialized(ws.goalId, async () => fullPatchBetween(this.git, (await this.context(ws)).top, from, to));
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

  /**
   * Reverts one file or hunk of the change `fromSha` → `toSha` (null: a snapshot of the working tree
   * now) in the working tree, exactly or not at all (see revert.ts).
   */
  async revert(ws: Workspace, fromSha: string, toSha: string | null, target: RevertTarget): Promise<RevertResult> {
    const from = checkedRevision(fromSha, 'from');
    const checkedTo = toSha === null ? null : checkedRevision(toSha, 'to');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const to = checkedTo ?? (await snapshotTree(this.git, context, ws.goalId));
      return revertChange(this.git, context.top, from, to, target);
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
      this.lastCheckpoint.delete(ws.goalId);
      this.speculativeDiffs.delete(ws.goalId);
      return result;
    });
  }

  /** Deletes the goal's refs/overseer/<goal id>/* (its worktree and branch already gone). Returns how many. */
  async deleteGoalRefs(goalId: string, repoPath: string): Promise<number> {
    return this.serialized(goalId, async () =>
      deleteGoalRefs(this.git, (await resolveRepo(this.git, repoPath)).top, checkedGoalId(goalId)),
    );
  }

  /**
   * Runs a multi-step git task for a goal (landing: commit, merge, rebase, pull request) with the
   * manager's git runner, after every earlier call for the goal, so no checkpoint interleaves.
   */
  async forGoal<T>(goalId: string, task: (git: GitRunner) => Promise<T>): Promise<T> {
    return this.serialized(goalId, () => task(this.git));
  }

  private async context(ws: Workspace): Promise<RepoContext> {
    if (ws.kind === 'no_git') {
      throw new WorkspaceError(
        'no_git',
        `the workspace of goal ${ws.goalId} is in no-git mode: no checkpoints, diffs or rollback`,
      );
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
