// Storing one git object as a loose object without a git process: `<type> <size>\0<body>` hashed
// with the repository's object format, zlib-compressed, written to a temporary file and renamed
// into `<commonDir>/objects/xx/yyyy…`, read-only like git's own. An object already stored loose is
// left as it is (the bytes are the same by its name).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { WorkspaceError } from './errors.js';

export type ObjectFormat = 'sha1' | 'sha256';
export type LooseObjectType = 'commit' | 'tree' | 'blob';

/** The id of an object of `type` with `body`, as git names it. */
export function objectId(format: ObjectFormat, type: LooseObjectType, body: Buffer): string {
  return createHash(format).update(`${type} ${body.length}\0`, 'utf8').update(body).digest('hex');
}

/** Where a loose object with this id lives. */
export function looseObjectPath(commonDir: string, id: string): string {
  return join(commonDir, 'objects', id.slice(0, 2), id.slice(2));
}

/**
 * Hashes and stores an object under `<commonDir>/objects`; returns its id. The file operations are
 * synchronous: each is well under a millisecond for one small object, where their asynchronous
 * forms wait for the thread pool (a checkpoint stores a few objects: its commit and the trees of
 * the folders that changed).
 */
export async function writeLooseObject(
  commonDir: string,
  format: ObjectFormat,
  type: LooseObjectType,
  body: Buffer,
): Promise<string> {
  const header = Buffer.from(`${type} ${body.length}\0`, 'utf8');
  const object = Buffer.concat([header, body]);
  const id = createHash(format).update(object).digest('hex');
  const file = looseObjectPath(commonDir, id);
  if (looseObjectStored(file)) return id;
  const folder = join(commonDir, 'objects', id.slice(0, 2));
  const temporary = join(folder, `tmp_obj_overseer_${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, deflateSync(object), { mode: 0o444, flag: 'wx' });
    // Another writer may have stored the same object meanwhile: the bytes are equal, either wins.
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new WorkspaceError('git_failed', `writing ${type} object ${id}: ${String(error)}`, { cause: error });
  }
  return id;
}

/** Whether a loose object file is there (synchronous, see writeLooseObject). */
export function looseObjectStored(file: string): boolean {
  return existsSync(file);
}
