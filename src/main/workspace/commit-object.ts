// Writing a checkpoint's commit object without a git process: the bytes `git commit-tree` writes
// for a tree, an optional parent, the fixed Overseer identity and a one-line message, hashed with
// the repository's object format and stored as a loose object (loose-object.ts). A checkpoint used to spend a whole process on
// this (bench/checkpoint); the object is byte-for-byte what commit-tree writes for the same date
// (conformance: tests/integration/workspace/commit-object.test.ts).
import { WorkspaceError } from './errors.js';
import { writeLooseObject, type ObjectFormat } from './loose-object.js';
import { SNAPSHOT_AUTHOR } from './refs.js';

export interface CommitFields {
  tree: string;
  parent: string | null;
  /** One line or more; ends with a newline in the object like commit-tree's `-m`. */
  message: string;
  /** When the commit is made (default now), in the local time zone like git. */
  date?: Date;
}

const HEX = { sha1: /^[0-9a-f]{40}$/, sha256: /^[0-9a-f]{64}$/ } as const;

/** `<seconds> <+hhmm>` as git writes author and committer dates (local zone offset). */
export function gitDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${seconds} ${sign}${hh}${mm}`;
}

/** The commit object's body exactly as `git commit-tree <tree> [-p <parent>] -m <message>` writes it. */
export function commitBody(fields: CommitFields, format: ObjectFormat): Buffer {
  for (const id of [fields.tree, ...(fields.parent === null ? [] : [fields.parent])]) {
    if (!HEX[format].test(id)) throw new WorkspaceError('git_failed', `not a ${format} object id: ${id}`);
  }
  if (fields.message.includes('\0')) throw new WorkspaceError('invalid_argument', 'a commit message has no NUL');
  const who = `${SNAPSHOT_AUTHOR.name} <${SNAPSHOT_AUTHOR.email}> ${gitDate(fields.date ?? new Date())}`;
  const lines = [`tree ${fields.tree}`];
  if (fields.parent !== null) lines.push(`parent ${fields.parent}`);
  lines.push(
    `author ${who}`,
    `committer ${who}`,
    '',
    fields.message.endsWith('\n') ? fields.message : `${fields.message}\n`,
  );
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** Hashes and stores a commit object under `<commonDir>/objects`; returns its id. */
export async function writeCommitObject(
  commonDir: string,
  format: ObjectFormat,
  fields: CommitFields,
): Promise<string> {
  return writeLooseObject(commonDir, format, 'commit', commitBody(fields, format));
}
