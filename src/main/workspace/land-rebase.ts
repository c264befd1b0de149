// Rebasing a goal's work onto the base branch's new tip, in the goal's own worktree. Uncommitted
// work is first held in a temporary commit so `git rebase` carries it too; afterwards it is
// uncommitted again. On a conflict the rebase is aborted and the branch, the index file (restored
// byte for byte) and the files are exactly as they were; the conflicted files are reported with
// how each conflicts (both modified, deleted on the base...). The user's checkout and the base
// branch are never touched.
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Workspace } from '../driver/index.js';
import { GitCommandError, asWorkspaceError, type GitRunner } from './git.js';
import type { FileConflict } from '../../shared/domain/landing.js';
import { branchTip, isAncestor, moveBranch, resetIndex, treeOfCommit } from './land-git.js';
import { unmergedFiles } from './land-conflicts.js';
import { goalBranch, LandRefusal } from './land.js';
import { SNAPSHOT_IDENTITY_ENV, baseRef, parseObjectId, updateRefs } from './refs.js';
import { snapshotTree } from './snapshot.js';

export type RebaseResult =
  | { ok: true; onto: string; ontoCommit: string; alreadyUpToDate: boolean; commit: string }
  | { ok: false; onto: string; ontoCommit: string; conflicts: FileConflict[] };

const HOLD_SUBJECT = 'overseer: uncommitted work of the goal (temporary)';

async function subject(git: GitRunner, cwd: string, commit: string): Promise<string> {
  return (await git.run({ cwd, args: ['log', '-1', '--format=%s', commit] })).trim();
}

async function indexFilePath(git: GitRunner, cwd: string): Promise<string> {
  return (await git.run({ cwd, args: ['rev-parse', '--path-format=absolute', '--git-path', 'index'] })).trim();
}

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

export async function rebaseOntoBase(git: GitRunner, ws: Workspace, options: { onto: string }): Promise<RebaseResult> {
  const { context, branch, tip } = await goalBranch(git, ws);
  const cwd = context.top;
  const ontoCommit = await branchTip(git, cwd, options.onto);
  if (ontoCommit === null) throw new LandRefusal('no_base_branch', `there is no branch ${options.onto} to rebase onto`);
  if (await isAncestor(git, cwd, ontoCommit, tip)) {
    // The branch already has the base's tip (e.g. Claude rebased it when handed a conflict): the
    // goal's change now starts from there, so its cumulative diff and landing compare against it.
    if (
      ws.baseCommit !== null &&
      ws.baseCommit !== ontoCommit &&
      (await isAncestor(git, cwd, ws.baseCommit, ontoCommit))
    ) {
      await updateRefs(git, cwd, [{ ref: baseRef(ws.goalId), sha: ontoCommit }]);
    }
    return { ok: true, onto: options.onto, ontoCommit, alreadyUpToDate: true, commit: tip };
  }
  const upstream = ws.baseCommit ?? ontoCommit;

  const indexPath = await indexFilePath(git, cwd);
  const savedIndex = await readOptional(indexPath);
  const snapshot = await snapshotTree(git, context, ws.goalId);
  const holdsWork = snapshot !== (await treeOfCommit(git, cwd, tip));
  let head = tip;
  if (holdsWork) {
    const args = ['commit-tree', '--no-gpg-sign', snapshot, '-p', tip, '-m', HOLD_SUBJECT];
    head = parseObjectId(await git.run({ cwd, args, env: SNAPSHOT_IDENTITY_ENV }), 'commit-tree');
    await moveBranch(git, cwd, branch, head, tip, 'overseer: hold uncommitted work for a rebase');
    await resetIndex(git, cwd, head);
  }

  try {
    await git.run({
      cwd,
      args: ['rebase', '--no-autostash', '--no-update-refs', '--onto', ontoCommit, upstream, branch],
    });
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    // Read before the abort, which drops the unmerged entries; a failure to read them still aborts.
    const conflicts = await unmergedFiles(git, cwd).catch((): FileConflict[] => []);
    await git.run({ cwd, args: ['rebase', '--abort'] }).catch(() => undefined);
    // Back to exactly where we were: the branch at its old tip, the files (the rebase abort restored
    // the held commit's tree, which is the snapshot), the index file as it was.
    const now = await branchTip(git, cwd, branch);
    if (now !== null && now !== tip) await moveBranch(git, cwd, branch, tip, now, 'overseer: rebase aborted');
    if (savedIndex !== null) await writeFile(indexPath, savedIndex);
    else await rm(indexPath, { force: true });
    if (conflicts.length === 0) throw asWorkspaceError(error, `rebasing ${branch} onto ${options.onto}`);
    return { ok: false, onto: options.onto, ontoCommit, conflicts };
  }

  let rebased = await branchTip(git, cwd, branch);
  if (rebased === null) throw new LandRefusal('detached', `branch ${branch} vanished during the rebase`);
  if (holdsWork && (await subject(git, cwd, rebased)) === HOLD_SUBJECT) {
    // Unhold: the branch steps back past the temporary commit; its changes stay in the files.
    // (When the held work was already in the new base, git dropped the commit as empty.)
    const parent = parseObjectId(await git.run({ cwd, args: ['rev-parse', '--verify', `${rebased}^1`] }), 'rev-parse');
    await moveBranch(git, cwd, branch, parent, rebased, 'overseer: rebase done, work uncommitted again');
    await resetIndex(git, cwd, parent);
    rebased = parent;
  }
  // The goal now starts from the new base: its cumulative diff and landing compare against it.
  await updateRefs(git, cwd, [{ ref: baseRef(ws.goalId), sha: ontoCommit }]);
  return { ok: true, onto: options.onto, ontoCommit, alreadyUpToDate: false, commit: rebased };
}
