// GitWorkspaceManager: the WorkspacePort of the driver (ensure, checkpoint, diffStat, rollback)
// plus what the host and UI need around it (patches, cumulative diff, checkpoint list, deletion).
// Calls for one goal run one at a time (they share the goal's private index); different goals run
// in parallel. The "no rollback while a turn runs" rule belongs to the driver/host.
import type { DiffStat, Goal } from '../../shared/domain/goal.js';
import type { Checkpoint, CheckpointOptions, Workspace, WorkspacePort } from '../driver/index.js';
import { WorkspaceError } from './errors.js';
import { writeCommitObject } from './commit-object.js';
import { GitCommandError, GitRunner, type GitRunnerOptions } from './git.js';
import { ensureWorkspace } from './ensure.js';
import { deleteGoalRefs, deleteWorkspace, type DeleteWorkspaceOptions, type DeleteWorkspaceResult } from './delete.js';
import { diffFiles, totals, type CumulativeDiff } from './diff-stat.js';
import { GoalQueue } from './goal-queue.js';
import { fullPatchBetween } from './full-patch.js';
import {
  DEFAULT_MAX_BYTES_FILE_PATCH,
  DEFAULT_MAX_BYTES_PER_FILE,
  checkedCap,
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
  type CheckpointInfo,
  type RefChange,
  type CheckpointPhase,
} from './refs.js';
import { applyRefChanges } from './ref-write.js';
import { restoreTree, type RollbackResult } from './rollback.js';
import { revertChange, type RevertResult, type RevertTarget } from './revert.js';
import { commitSnapshot, privateIndexPath, resolveRepo, snapshotTree, treeOf, type RepoContext } from './snapshot.js';
import { PreparedAdds } from './prepared-add.js';
import { earlyDiffReaders, preOfTurn, SpeculativeDiffs, type EarlyDiff } from './speculative-diff.js';

export interface GitWorkspaceManagerOptions extends GitRunnerOptions {
  /** Where goal worktrees go (DataPaths.worktreesDir). */
  worktreesDir: string;
}

export interface CheckpointResult extends Checkpoint, CheckpointInfo {
  /** The snapshot's tree. */
  tree: string;
}

export class GitWorkspaceManager implements WorkspacePort {
  private readonly worktreesDir: string;
  private readonly git: GitRunner;
  private readonly contexts = new Map<string, RepoContext>();
  private readonly queue = new GoalQueue();
  /** The last checkpoint this manager wrote per goal (to reuse its commit when the tree is unchanged). */
  private readonly lastCheckpoint = new Map<string, { sha: string; tree: string }>();
  /**
   * The goal's checkpoint refs as this manager last read or wrote them. The manager is their one
   * writer; every ref update it makes names the value it expects, so a stale copy fails the
   * transaction instead of writing wrong history (checkpoint then reads the refs again).
   */
  private readonly knownCheckpoints = new Map<string, CheckpointInfo[]>();
  /** A post checkpoint's diff against its turn's pre checkpoint, started early (see checkpoint). */
  private readonly speculativeDiffs = new SpeculativeDiffs();
  /** Each goal's next `add -A`, prepared at its pre checkpoint (prepared-add.ts). */
  private readonly preparedAdds = new PreparedAdds();

  constructor(options: GitWorkspaceManagerOptions) {
    this.worktreesDir = options.worktreesDir;
    this.git = new GitRunner(options);
  }

  /**
   * Creates the goal's workspace, or reopens it (reattach after a restart). The goal's refs read
   * on the way become the known checkpoints, and where its path is in git the known context, so
   * the first checkpoint need not read either again.
   */
  async ensure(goal: Goal): Promise<Workspace> {
    return this.serialized(goal.id, async () => {
      const { workspace, checkpoints, context } = await ensureWorkspace(this.git, this.worktreesDir, goal);
      if (workspace.kind !== 'no_git') this.knownCheckpoints.set(goal.id, checkpoints);
      // The goal's first checkpoint then needs no rev-parse to find its repository.
      if (context !== undefined) this.contexts.set(workspace.path, context);
      return workspace;
    });
  }

  /**
   * Snapshots the whole working tree (new files included, ignored ones not) into
   * refs/overseer/<goal>/<turn>-<phase>. Kept cheap (bench/checkpoint): `add -A` + `write-tree`
   * through the goal's kept private index, spawned without simple-git; the commit object written
   * in-process (commit-object.ts); the goal's refs read once and then known (a stale copy fails the
   * ref transaction, which then reads them again and retries); when the tree equals the previous
   * checkpoint's (nothing touched the working tree since, e.g. turn N's post and turn N+1's pre),
   * that commit is reused and only the ref is written; the ref is written in-process like git's own
   * loose refs when it can be (ref-write.ts), else by `update-ref`; and a post checkpoint starts the
   * diff against its turn's pre checkpoint beside write-tree, so the driver's diffStat finds it.
   * In a shared repository (core.sharedRepository) git writes the tree, the commit and the ref
   * itself, with the permissions the group needs (shared-repository.ts).
   * `onSnapshot` is called as soon as the working tree has been read (see WorkspacePort).
   */
  async checkpoint(
    ws: Workspace,
    turnIndex: number,
    phase: CheckpointPhase,
    options: CheckpointOptions = {},
  ): Promise<CheckpointResult> {
    const ref = checkpointRef(ws.goalId, turnIndex, phase);
    return this.serialized(ws.goalId, async () => {
      await this.speculativeDiffs.settle(ws.goalId);
      const context = await this.context(ws);
      const known = this.knownCheckpoints.get(ws.goalId);
      const samePre = known === undefined || phase !== 'post' ? undefined : preOfTurn(known, turnIndex);
      const early = samePre === undefined ? null : earlyDiffReaders(this.git, context.top, samePre.sha);
      const indexFile = privateIndexPath(context, ws.goalId);
      // After Claude's turn comes this turn's post checkpoint: a pre checkpoint prepares its `add -A`
      // while its own runs, so that fork too is off the path.
      const prepareNextAdd = (): void => this.preparedAdds.prepare(this.git, ws.goalId, context.top, indexFile);
      const readers = early?.readers ?? (phase === 'pre' ? { whileAdding: prepareNextAdd } : {});
      let tree: string;
      let checkpoints: CheckpointInfo[];
      try {
        [tree, checkpoints] = await Promise.all([
          snapshotTree(
            this.git,
            context,
            ws.goalId,
            readers,
            this.preparedAdds.take(ws.goalId, context.top, indexFile),
          ).then((read) => {
            options.onSnapshot?.();
            return read;
          }),
          known ?? readCheckpoints(this.git, context.top, ws.goalId),
        ]);
      } catch (error) {
        this.speculativeDiffs.keepUntilSettled(ws.goalId, early?.started() ?? null);
        throw error;
      } finally {
        early?.cancel();
      }
      const at = { ws, context, tree, turnIndex, phase, ref, early: early?.started() ?? null };
      try {
        return await this.writeCheckpoint(at, checkpoints);
      } catch (error) {
        this.knownCheckpoints.delete(ws.goalId);
        if (known === undefined || !(error instanceof GitCommandError)) throw error;
        // The refs changed behind this manager's back: read them and write the checkpoint again.
        const fresh = await readCheckpoints(this.git, context.top, ws.goalId);
        return this.writeCheckpoint({ ...at, early: null }, fresh);
      }
    });
  }

  /** The commit (new, or the previous one reused) and the ref transaction of a checkpoint. */
  private async writeCheckpoint(
    at: {
      ws: Workspace;
      context: RepoContext;
      tree: string;
      turnIndex: number;
      phase: CheckpointPhase;
      ref: string;
      early: EarlyDiff | null;
    },
    checkpoints: CheckpointInfo[],
  ): Promise<CheckpointResult> {
    const { ws, context, tree, turnIndex, phase, ref, early } = at;
    const earlier = checkpoints.filter((checkpoint) => checkpointOrder(checkpoint, { turnIndex, phase }) < 0);
    const previous = earlier[earlier.length - 1];
    const parent = previous?.sha ?? ws.baseCommit;
    const last = this.lastCheckpoint.get(ws.goalId);
    let sha: string;
    if (early !== null) this.speculativeDiffs.keep(ws.goalId, early, tree);
    if (previous !== undefined && last !== undefined && last.sha === previous.sha && last.tree === tree) {
      sha = previous.sha;
    } else {
      if (
        early === null &&
        phase === 'post' &&
        previous !== undefined &&
        previous.turnIndex === turnIndex &&
        previous.phase === 'pre'
      ) {
        this.speculativeDiffs.start(this.git, ws.goalId, context.top, previous.sha, tree);
      }
      const message = `overseer checkpoint: goal ${ws.goalId} turn ${turnIndex} ${phase}`;
      sha = context.sharedRepository
        ? await commitSnapshot(this.git, context.top, tree, parent, message)
        : await writeCommitObject(context.commonDir, context.objectFormat, { tree, parent, message });
    }
    // A retried turn takes its checkpoints again: the first attempt's snapshot keeps a ref of its
    // own, so it stays reachable (and is never garbage-collected) while the turns table points at it.
    const current = checkpoints.find((checkpoint) => checkpoint.ref === ref);
    const changes: RefChange[] = [{ ref, sha, expected: current?.sha ?? '0'.repeat(sha.length) }];
    if (current !== undefined && current.sha !== sha) {
      changes.push({ ref: supersededCheckpointRef(ws.goalId, turnIndex, phase, current.sha), sha: current.sha });
    }
    await applyRefChanges(this.git, context, changes);
    const written: CheckpointInfo = { ref, sha, turnIndex, phase };
    this.knownCheckpoints.set(
      ws.goalId,
      [...checkpoints.filter((checkpoint) => checkpoint.ref !== ref), written].sort(checkpointOrder),
    );
    this.lastCheckpoint.set(ws.goalId, { sha, tree });
    this.speculativeDiffs.written(ws.goalId, tree, sha);
    return { ...written, tree };
  }

  /** Per-file stat between two snapshots (commit or tree ids), as `git diff --numstat -M` counts. */
  async diffStat(ws: Workspace, fromSha: string, toSha: string): Promise<DiffStat> {
    const from = checkedRevision(fromSha, 'from');
    const to = checkedRevision(toSha, 'to');
    return this.serialized(ws.goalId, async () => {
      const context = await this.context(ws);
      const early = await this.speculativeDiffs.take(ws.goalId, from, to);
      return totals(early ?? (await diffFiles(this.git, context.top, from, to)));
    });
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
      await this.speculativeDiffs.settle(ws.goalId);
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
      await this.speculativeDiffs.settle(ws.goalId);
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
      this.forget(ws.goalId);
      return result;
    });
  }

  /** Deletes the goal's refs/overseer/<goal id>/* (its worktree and branch already gone). Returns how many. */
  async deleteGoalRefs(goalId: string, repoPath: string): Promise<number> {
    return this.serialized(goalId, async () => {
      this.forget(goalId);
      return deleteGoalRefs(this.git, (await resolveRepo(this.git, repoPath)).top, checkedGoalId(goalId));
    });
  }

  /**
   * Runs a multi-step git task for a goal (landing: commit, merge, rebase, pull request) with the
   * manager's git runner, after every earlier call for the goal, so no checkpoint interleaves.
   */
  async forGoal<T>(goalId: string, task: (git: GitRunner) => Promise<T>): Promise<T> {
    return this.serialized(goalId, async () => {
      await this.speculativeDiffs.settle(goalId);
      return task(this.git);
    });
  }

  /** Drops what the manager remembers of a goal's refs and snapshots. */
  private forget(goalId: string): void {
    this.preparedAdds.cancel(goalId);
    this.knownCheckpoints.delete(goalId);
    this.lastCheckpoint.delete(goalId);
    this.speculativeDiffs.forget(goalId);
  }

  private serialized<T>(goalId: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(goalId, task);
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
}
