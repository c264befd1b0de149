// Writing a checkpoint's commit object without a git process: the bytes `git commit-tree` writes
// for a tree, an optional parent, the fixed Overseer identity and a one-line message, hashed with
// the repository's object format and stored as a loose object (zlib, written to a temporary file
// and renamed into place, read-only like git's own). A checkpoint used to spend a whole process on
// this (bench/checkpoint); the object is byte-for-byte what commit-tree writes for the same date
// (conformance: tests/integration/workspace/commit-object.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { WorkspaceError } from './errors.js';
import { SNAPSHOT_AUTHOR } from './refs.js';
import { pathExists } from './path-exists.js';

export type ObjectFormat = 'sha1' | 'sha256';

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
  const body = commitBody(fields, format);
  const object = Buffer.concat([Buffer.from(`commit ${body.length}\0`, 'utf8'), body]);
  const id = createHash(format).update(object).digest('hex');
  const folder = join(commonDir, 'objects', id.slice(0, 2));
  const file = join(folder, id.slice(2));
  if (await pathExists(file)) return id;
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `tmp_obj_overseer_${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(temporary, deflateSync(object), { mode: 0o444, flag: 'wx' });
    // Another writer may have stored the same object meanwhile: the bytes are equal, either wins.
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new WorkspaceError('git_failed', `writing commit object ${id}: ${String(error)}`, { cause: error });
  }
  return id;
}
