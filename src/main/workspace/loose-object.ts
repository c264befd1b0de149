// Storing one git object as a loose object without a git process: `<type> <size>\0<body>` hashed
// with the repository's object format, zlib-compressed, written to a temporary file and renamed
// into `<commonDir>/objects/xx/yyyy…`, read-only like git's own. An object already stored loose is
// left as it is (the bytes are the same by its name).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { WorkspaceError } from './errors.js';
import { pathExists } from './path-exists.js';

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

/** Hashes and stores an object under `<commonDir>/objects`; returns its id. */
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
  if (await pathExists(file)) return id;
  const folder = join(commonDir, 'objects', id.slice(0, 2));
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `tmp_obj_overseer_${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(temporary, deflateSync(object), { mode: 0o444, flag: 'wx' });
    // Another writer may have stored the same object meanwhile: the bytes are equal, either wins.
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new WorkspaceError('git_failed', `writing ${type} object ${id}: ${String(error)}`, { cause: error });
  }
  return id;
}
