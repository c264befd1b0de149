// Seeding a goal's empty private index from the working tree's own index, so the goal's first
// snapshot does not hash every file: the copied entries carry the stat data git recorded when it
// last hashed each file, and `add -A` re-hashes only files whose stat data differs (bench/checkpoint:
// the first checkpoint otherwise costs a full re-hash of the working tree).
//
// The working tree's index is only read, never written or locked. It is copied only when it is a
// plain one, so the snapshot holds exactly what a snapshot through an empty index holds:
// - index version 2, 3 or 4 (index-entries.ts reads them), no split index (`link`) and no sparse
//   directories (`sdir`);
// - no entry with a flag that makes `add` trust or skip a path (assume-unchanged, skip-worktree,
//   intent-to-add), no conflict stages, no gitlinks (an empty submodule folder would keep the
//   gitlink, where an empty index leaves it out);
// - tracked files that match an ignore rule would stay in a seeded index (tracked files are never
//   ignored): the snapshot removes them again after `add -A` (snapshot.ts).
// - a zero-entry index seeds nothing, and an index whose trailing checksum does not match its
//   content (or that has none) is not trusted: both fall back to an empty index.
// Racy git: an entry whose file changed in the same timestamp tick as the index was written looks
// clean by its stat data; git catches it by comparing the entry's mtime with the index file's own
// (in whole seconds with the git on these machines). The copy gets an mtime a millisecond older
// than the original, so every entry racy in the original is racy in the copy and re-hashed.
//
// When the seed pays: a racy entry is hashed by `add -A` as in an empty index, and a seeded
// snapshot also pays for the copy and one `ls-files` process (the ignored entries, snapshot.ts). A
// working tree checked out a moment ago (a new goal's worktree) has nearly every entry racy, and a
// small one hashes in less time than the extra process takes, so the index is copied only when it
// holds at least SEED_MIN_SETTLED entries that are not racy and they are at least half of it. An
// index whose header states fewer entries than that is left alone before the rest of it is read.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { EXTENDED, STAGE_MASK, indexHeader, readIndexEntries } from './index-entries.js';
import type { ObjectFormat } from './loose-object.js';

const ASSUME_VALID = 0x8000;
const GITLINK = 0o160000;
const TYPE_MASK = 0o170000;
const DIRECTORY = 0o040000;
const REFUSED_EXTENSIONS = new Set(['link', 'sdir']);
/** Fewest entries not racy for which a seed saves more hashing than its copy and `ls-files` cost. */
export const SEED_MIN_SETTLED = 2048;

/** Why an index cannot seed a private index, or null when it can (see the header). */
export function seedRefusal(index: Buffer, format: ObjectFormat): string | null {
  const inspected = inspectIndex(index, format, Number.POSITIVE_INFINITY);
  return typeof inspected === 'string' ? inspected : null;
}

/**
 * Why the index cannot seed (a string), or how many entries it has and how many of them a copy
 * dated `racySecond` (whole seconds) would leave racy: mtime in that second or later.
 */
function inspectIndex(
  index: Buffer,
  format: ObjectFormat,
  racySecond: number,
): string | { entries: number; racy: number } {
  const read = readIndexEntries(index, format);
  if (typeof read === 'string') return read;
  if (read.count === 0) return 'no entries';
  let racy = 0;
  for (let entry = 0; entry < read.count; entry += 1) {
    const offset = read.starts[entry] ?? 0;
    if (index.readUInt32BE(offset + 8) >= racySecond) racy += 1;
    const mode = index.readUInt32BE(offset + 24);
    const flags = read.flags[entry] ?? 0;
    if ((mode & TYPE_MASK) === GITLINK) return 'gitlink entry';
    if ((mode & TYPE_MASK) === DIRECTORY) return 'sparse directory entry';
    if ((flags & ASSUME_VALID) !== 0) return 'assume-unchanged entry';
    if ((flags & EXTENDED) !== 0) return 'entry with extended flags';
    if ((flags & STAGE_MASK) !== 0) return 'conflict entry';
  }
  const refused = read.extensions.find((extension) => REFUSED_EXTENSIONS.has(extension.signature));
  if (refused !== undefined) return `${refused.signature} extension`;
  return { entries: read.count, racy };
}

/** Why seeding from this index would not pay (see the header), or null when it would. */
export function seedUnprofitable(entries: number, racy: number): string | null {
  const settled = entries - racy;
  if (settled < SEED_MIN_SETTLED) return `${settled} entries not racy (fewer than ${SEED_MIN_SETTLED})`;
  if (racy > settled) return `${racy} of ${entries} entries racy`;
  return null;
}

/** What seedPrivateIndex did: `seeded`, or why it left the target alone. */
export type SeedOutcome = { seeded: true } | { seeded: false; reason: string };

/**
 * Copies `source` (a working tree's index) to `target` (a private index that does not exist yet)
 * when it is a plain index (see seedRefusal) and the copy pays (seedUnprofitable). Any failure to
 * read or write leaves no target (the snapshot then starts from an empty index).
 */
export async function seedPrivateIndex(source: string, target: string, format: ObjectFormat): Promise<SeedOutcome> {
  const temporary = `${target}.seed-${randomBytes(6).toString('hex')}`;
  try {
    // Too few entries to pay, whatever they hold: known from the header alone, so a small working
    // tree's first snapshot does not read, checksum and walk its whole index first.
    const counted = headerEntryCount(source);
    if (counted !== null && counted < SEED_MIN_SETTLED) {
      return { seeded: false, reason: `${counted} entries (fewer than ${SEED_MIN_SETTLED} could pay)` };
    }
    const [index, info] = await Promise.all([readFile(source), stat(source)]);
    const dated = Math.floor(info.mtimeMs) - 1;
    const inspected = inspectIndex(index, format, Math.floor(dated / 1000));
    if (typeof inspected === 'string') return { seeded: false, reason: inspected };
    const unprofitable = seedUnprofitable(inspected.entries, inspected.racy);
    if (unprofitable !== null) return { seeded: false, reason: unprofitable };
    await writeFile(temporary, index, { flag: 'wx' });
    const older = new Date(dated);
    await utimes(temporary, older, older);
    await rename(temporary, target);
    return { seeded: true };
  } catch (error) {
    await rm(temporary, { force: true });
    return { seeded: false, reason: `cannot copy: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The entry count an index file's header states (null when it has no index header to read). */
function headerEntryCount(path: string): number | null {
  const header = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, header, 0, 12, 0);
    return indexHeader(header.subarray(0, read))?.entries ?? null;
  } finally {
    closeSync(fd);
  }
}
