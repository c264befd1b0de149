// Names Overseer gives to things in a repository: the goal's branch, its private refs
// (refs/overseer/<goal id>/<turn>-pre|post for checkpoints, refs/overseer/<goal id>/base for the
// commit the goal started from), the fixed snapshot identity; and reading those refs back.
import { z } from 'zod';
import { GoalIdSchema, type GoalId } from '../../shared/domain/goal.js';
import { WorkspaceError } from './errors.js';
import type { GitRunner } from './git.js';

export const SNAPSHOT_AUTHOR = { name: 'Overseer', email: 'overseer@localhost' } as const;

export const SNAPSHOT_IDENTITY_ENV = {
  GIT_AUTHOR_NAME: SNAPSHOT_AUTHOR.name,
  GIT_AUTHOR_EMAIL: SNAPSHOT_AUTHOR.email,
  GIT_COMMITTER_NAME: SNAPSHOT_AUTHOR.name,
  GIT_COMMITTER_EMAIL: SNAPSHOT_AUTHOR.email,
} as const;

export type CheckpointPhase = 'pre' | 'post';

export interface CheckpointInfo {
  ref: string;
  sha: string;
  turnIndex: number;
  phase: CheckpointPhase;
}

/** The goal id, checked: it becomes part of ref names and folder names. */
export function checkedGoalId(goalId: string): GoalId {
  const parsed = GoalIdSchema.safeParse(goalId);
  if (!parsed.success) throw new WorkspaceError('invalid_argument', `goal id is not a uuid: ${JSON.stringify(goalId)}`);
  return parsed.data;
}

export function goalRefPrefix(goalId: GoalId): string {
  return `refs/overseer/${goalId}/`;
}

export function checkpointRef(goalId: GoalId, turnIndex: number, phase: CheckpointPhase): string {
  if (!Number.isSafeInteger(turnIndex) || turnIndex < 0) {
    throw new WorkspaceError('invalid_argument', `turn index must be a non-negative integer, got ${turnIndex}`);
  }
  return `${goalRefPrefix(goalId)}${turnIndex}-${phase}`;
}

/** Where the snapshot of an earlier attempt of a turn is kept when a retry replaces its checkpoint ref. */
export function supersededCheckpointRef(
  goalId: GoalId,
  turnIndex: number,
  phase: CheckpointPhase,
  sha: string,
): string {
  return `${goalRefPrefix(goalId)}superseded/${turnIndex}-${phase}-${checkedRevision(sha, 'sha')}`;
}

export function baseRef(goalId: GoalId): string {
  return `${goalRefPrefix(goalId)}base`;
}

/** `overseer/<first 8 characters of the goal id>`. */
export function branchName(goalId: GoalId): string {
  return `overseer/${goalId.slice(0, 8)}`;
}

const CHECKPOINT_SUFFIX = /^(0|[1-9]\d*)-(pre|post)$/;

export function parseCheckpointRef(goalId: GoalId, ref: string): { turnIndex: number; phase: CheckpointPhase } | null {
  const prefix = goalRefPrefix(goalId);
  if (!ref.startsWith(prefix)) return null;
  const match = CHECKPOINT_SUFFIX.exec(ref.slice(prefix.length));
  if (match === null) return null;
  const turnIndex = Number(match[1]);
  const phase = match[2] === 'pre' ? 'pre' : 'post';
  return Number.isSafeInteger(turnIndex) ? { turnIndex, phase } : null;
}

/** Order of checkpoints: by turn, `pre` before `post`. */
export function checkpointOrder(
  a: { turnIndex: number; phase: CheckpointPhase },
  b: { turnIndex: number; phase: CheckpointPhase },
): number {
  if (a.turnIndex !== b.turnIndex) return a.turnIndex - b.turnIndex;
  return (a.phase === 'pre' ? 0 : 1) - (b.phase === 'pre' ? 0 : 1);
}

const HEX_REVISION = /^[0-9a-f]{4,64}$/i;

/** A revision argument given to us must be plain hex (never an option or a ref expression). */
export function checkedRevision(revision: string, what: string): string {
  if (!HEX_REVISION.test(revision)) {
    throw new WorkspaceError(
      'invalid_revision',
      `${what} must be 4..64 hex characters, got ${JSON.stringify(revision)}`,
    );
  }
  return revision.toLowerCase();
}

const ObjectIdSchema = z.string().regex(/^[0-9a-f]{40,64}$/);

/** Parses one object id printed by git (trailing newline allowed). */
export function parseObjectId(output: string, what: string): string {
  const parsed = ObjectIdSchema.safeParse(output.trim());
  if (!parsed.success)
    throw new WorkspaceError('git_failed', `${what}: unexpected git output ${JSON.stringify(output.slice(0, 200))}`);
  return parsed.data;
}

export interface RefEntry {
  ref: string;
  sha: string;
}

/**
 * Every ref under `prefix` with the object it points to. Spawned directly (git.ts `direct`): a
 * goal's first checkpoint reads its refs.
 */
export async function readRefs(git: GitRunner, cwd: string, prefix: string): Promise<RefEntry[]> {
  const output = await git.run({
    cwd,
    args: ['for-each-ref', '--format=%(objectname) %(refname)', prefix],
    direct: true,
  });
  const entries: RefEntry[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    entries.push({ sha: parseObjectId(line.slice(0, space), 'for-each-ref'), ref: line.slice(space + 1) });
  }
  return entries;
}

/** The object a single ref points to, or null when the ref does not exist. */
export async function readRef(git: GitRunner, cwd: string, ref: string): Promise<string | null> {
  const entries = await readRefs(git, cwd, ref);
  return entries.find((entry) => entry.ref === ref)?.sha ?? null;
}

/** The goal's checkpoints, ordered by turn then phase. */
export async function readCheckpoints(git: GitRunner, cwd: string, goalId: GoalId): Promise<CheckpointInfo[]> {
  return checkpointsAmong(goalId, await readRefs(git, cwd, goalRefPrefix(goalId)));
}

/** The checkpoints among refs read under the goal's prefix, ordered by turn then phase. */
export function checkpointsAmong(goalId: GoalId, refs: RefEntry[]): CheckpointInfo[] {
  const checkpoints: CheckpointInfo[] = [];
  for (const entry of refs) {
    const parsed = parseCheckpointRef(goalId, entry.ref);
    if (parsed !== null) checkpoints.push({ ...entry, ...parsed });
  }
  return checkpoints.sort(checkpointOrder);
}

/**
 * A ref change of a transaction. `expected`: the value the ref must have for the transaction to
 * apply (an all-zero id: the ref must not exist); left out, the ref's current value does not matter.
 */
export type RefChange = ({ ref: string; sha: string } | { ref: string; delete: true }) & { expected?: string };

/**
 * Creates/moves/deletes refs in one `update-ref --stdin` transaction (all or nothing: a ref whose
 * value is not the expected one fails the whole call). The `start`/`commit` verbs make git print
 * "start: ok" / "commit: ok", so the call is never silent. `direct`: see GitCall.
 */
export async function updateRefs(
  git: GitRunner,
  cwd: string,
  changes: RefChange[],
  options: { direct?: boolean } = {},
): Promise<void> {
  if (changes.length === 0) return;
  await git.run({
    cwd,
    args: ['update-ref', '--stdin'],
    input: refTransaction(changes),
    ...(options.direct === true ? { direct: true } : {}),
  });
}

/** The `update-ref --stdin` input of one transaction. */
export function refTransaction(changes: RefChange[]): string {
  const lines = ['start'];
  for (const change of changes) {
    const expected = change.expected === undefined ? '' : ` ${change.expected}`;
    lines.push(
      'delete' in change ? `delete ${change.ref}${expected}` : `update ${change.ref} ${change.sha}${expected}`,
    );
  }
  lines.push('commit', '');
  return lines.join('\n');
}
