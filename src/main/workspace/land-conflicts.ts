// Which files conflict when the goal's work meets the base branch, and how each one conflicts,
// read from git's index stages: stage 1 is the common ancestor's version, stage 2 the base
// branch's, stage 3 the goal's. Both places Overseer meets a conflict put the base on stage 2: a
// `merge-tree` of (base, goal), and a rebase of the goal onto the base (git's "ours" there is the
// branch being rebased onto). A file missing a stage was deleted (or never added) on that side.
import type { ConflictKind, FileConflict } from '../../shared/domain/landing.js';
import type { GitRunner } from './git.js';
import { parseObjectId } from './refs.js';

type Stage = 1 | 2 | 3;

const STAGE_ENTRY = /^(\d{6}) ([0-9a-f]{40,64}) ([123])\t([\s\S]+)$/;

/**
 * `<mode> <object> <stage>\t<path>` records separated by NUL (`ls-files -u -z`, and the conflicted
 * file info of `merge-tree -z`), up to the first record that is not one (merge-tree ends the
 * section with an empty one). Returns each path's stages, in first-seen order.
 */
export function parseStageEntries(records: readonly string[]): Map<string, Set<Stage>> {
  const stages = new Map<string, Set<Stage>>();
  for (const record of records) {
    const match = STAGE_ENTRY.exec(record);
    if (match === null) break;
    const path = match[4] ?? '';
    const stage = Number(match[3]) as Stage;
    const seen = stages.get(path) ?? new Set<Stage>();
    seen.add(stage);
    stages.set(path, seen);
  }
  return stages;
}

/** The kind of conflict a set of stages means (see the module header for which side is which). */
export function conflictKind(stages: ReadonlySet<Stage>): ConflictKind {
  const ancestor = stages.has(1);
  const base = stages.has(2);
  const goal = stages.has(3);
  if (base && goal) return ancestor ? 'both_modified' : 'both_added';
  if (base) return ancestor ? 'deleted_by_goal' : 'added_on_base';
  if (goal) return ancestor ? 'deleted_on_base' : 'added_by_goal';
  return 'both_deleted';
}

function toConflicts(stages: Map<string, Set<Stage>>): FileConflict[] {
  return [...stages.entries()]
    .map(([path, seen]) => ({ path, kind: conflictKind(seen) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Merges the base's tree with the goal's without touching any working tree or index
 * (`merge-tree --write-tree`): the merged tree, or every conflicted file with its kind.
 */
export async function mergeTreesWithConflicts(
  git: GitRunner,
  cwd: string,
  base: string,
  goal: string,
): Promise<{ tree: string } | { conflicts: FileConflict[] }> {
  const { exitCode, stdout } = await git.runWithAnswers(
    { cwd, args: ['merge-tree', '--write-tree', '-z', '--no-messages', base, goal] },
    [1],
  );
  const [tree = '', ...records] = stdout.split('\0');
  if (exitCode === 0) return { tree: parseObjectId(tree, 'merge-tree') };
  return { conflicts: toConflicts(parseStageEntries(records)) };
}

/** The unmerged files of a working tree stopped on a conflict (a rebase in progress), with their kinds. */
export async function unmergedFiles(git: GitRunner, cwd: string): Promise<FileConflict[]> {
  const out = await git.run({ cwd, args: ['ls-files', '--unmerged', '-z'] });
  return toConflicts(parseStageEntries(out.split('\0').filter((record) => record !== '')));
}
