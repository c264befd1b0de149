// Seeding a goal's empty private index from the working tree's own index, so the goal's first
// snapshot does not hash every file: the copied entries carry the stat data git recorded when it
// last hashed each file, and `add -A` re-hashes only files whose stat data differs (bench/checkpoint:
// the first checkpoint otherwise costs a full re-hash of the working tree).
//
// The working tree's index is only read, never written or locked. It is copied only when it is a
// plain one, so the snapshot holds exactly what a snapshot through an empty index holds:
// - index version 2 or 3 (not 4's compressed paths), no split index (`link`) and no sparse
//   directories (`sdir`);
// - no entry with a flag that makes `add` trust or skip a path (assume-unchanged, skip-worktree,
//   intent-to-add), no conflict stages, no gitlinks (an empty submodule folder would keep the
//   gitlink, where an empty index leaves it out);
// - tracked files that match an ignore rule would stay in a seeded index (tracked files are never
//   ignored): the snapshot removes them again after `add -A` (snapshot.ts).
// Racy git: an entry whose file changed in the same timestamp tick as the index was written looks
// clean by its stat data; git catches it by comparing the entry's mtime with the index file's own.
// The copy gets an mtime a second older than the original, so every such entry (and a few more)
// is re-hashed, never trusted.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import type { ObjectFormat } from './commit-object.js';

const ASSUME_VALID = 0x8000;
const EXTENDED = 0x4000;
const STAGE_MASK = 0x3000;
const NAME_MASK = 0x0fff;
const GITLINK = 0o160000;
const TYPE_MASK = 0o170000;
const DIRECTORY = 0o040000;
const REFUSED_EXTENSIONS = new Set(['link', 'sdir']);

/** Why an index cannot seed a private index, or null when it can (see the header). */
export function seedRefusal(index: Buffer, format: ObjectFormat): string | null {
  const hashLength = format === 'sha256' ? 32 : 20;
  if (index.length < 12 + hashLength || index.toString('latin1', 0, 4) !== 'DIRC') return 'not an index file';
  const version = index.readUInt32BE(4);
  if (version !== 2 && version !== 3) return `index version ${version}`;
  const count = index.readUInt32BE(8);
  const end = index.length - hashLength;
  let offset = 12;
  for (let entry = 0; entry < count; entry += 1) {
    const flagsAt = offset + 40 + hashLength;
    if (flagsAt + 2 > end) return 'truncated entry';
    const mode = index.readUInt32BE(offset + 24);
    const flags = index.readUInt16BE(flagsAt);
    if ((mode & TYPE_MASK) === GITLINK) return 'gitlink entry';
    if ((mode & TYPE_MASK) === DIRECTORY) return 'sparse directory entry';
    if ((flags & ASSUME_VALID) !== 0) return 'assume-unchanged entry';
    if ((flags & EXTENDED) !== 0) return 'entry with extended flags';
    if ((flags & STAGE_MASK) !== 0) return 'conflict entry';
    const nameAt = flagsAt + 2;
    let nameLength = flags & NAME_MASK;
    if (nameLength === NAME_MASK) {
      const nul = index.indexOf(0, nameAt);
      if (nul < 0 || nul > end) return 'truncated entry';
      nameLength = nul - nameAt;
    }
    // Entries are NUL-padded to a multiple of 8 bytes (at least one NUL).
    offset += (nameAt - offset + nameLength + 8) & ~7;
    if (offset > end) return 'truncated entry';
  }
  while (offset < end) {
    if (offset + 8 > end) return 'truncated extension';
    const signature = index.toString('latin1', offset, offset + 4);
    if (REFUSED_EXTENSIONS.has(signature)) return `${signature} extension`;
    offset += 8 + index.readUInt32BE(offset + 4);
  }
  return offset === end ? null : 'truncated extension';
}

/**
 * Copies `source` (a working tree's index) to `target` (a private index that does not exist yet)
 * when it is a plain index (see seedRefusal). Returns whether it did; any failure to read or
 * write leaves no target and returns false (the snapshot then starts from an empty index).
 */
export async function seedPrivateIndex(source: string, target: string, format: ObjectFormat): Promise<boolean> {
  const temporary = `${target}.seed-${randomBytes(6).toString('hex')}`;
  try {
    const [index, info] = await Promise.all([readFile(source), stat(source)]);
    if (seedRefusal(index, format) !== null) return false;
    await writeFile(temporary, index, { flag: 'wx' });
    const older = new Date(Math.floor(info.mtimeMs / 1000) * 1000 - 1000);
    await utimes(temporary, older, older);
    await rename(temporary, target);
    return true;
  } catch {
    await rm(temporary, { force: true });
    return false;
  }
}
