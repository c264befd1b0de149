// Whether an object is stored in one of the repository's pack files, read from the packs' index
// files (`objects/pack/pack-*.idx`, version 2) without a git process: the in-process tree
// (index-tree.ts) must know that a folder's tree named by the cache tree is stored before it uses
// it, and in a real repository (and in one `git gc` has run in) those trees are packed, not loose.
//
// A version 2 pack index is: the magic bytes ff 74 4f 63, the version (2), a fan-out table of 256
// big-endian counts (entry i: how many ids begin with a byte <= i), then every id of the pack,
// sorted. One lookup reads the fan-out once per pack (kept: a pack file's name is the hash of its
// content, so it never changes under the same name) and the ids of one fan-out bucket. Only what
// git's own object lookup would find in this repository's own packs counts: an index without its
// `.pack`, a version 1 index and alternates are not looked at, so such an object reads as "not
// stored" and the caller writes it again as a loose object (the same bytes; correct, only slower).
// An id found in a pack is remembered for that pack: a pack never changes under its name, and only
// the packs listed at the time are looked in, so the answer holds while the pack is there (a pack
// that `git gc` removed is no longer listed, and what was remembered of it is dropped). A loose
// object is never remembered: `git prune` can remove it at any time.
// Conformance: tests/integration/workspace/packed-object.test.ts against `git cat-file`.
import { closeSync, openSync, readSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ObjectFormat } from './loose-object.js';

const MAGIC = 0xff744f63;
const FANOUT_AT = 8;
const NAMES_AT = FANOUT_AT + 256 * 4;

/** The fan-out table of each pack index read so far, by path (a pack's name never changes content). */
const fanouts = new Map<string, Uint32Array | null>();
/** The ids found so far in each pack index, by path (see the header). */
const found = new Map<string, Set<string>>();

/** The pack index files of `commonDir` whose pack is there too (read once per caller's batch). */
export function packIndexes(commonDir: string): string[] {
  const folder = join(commonDir, 'objects', 'pack');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const packs = new Set(names.filter((name) => name.endsWith('.pack')));
  const listed = names
    .filter((name) => name.startsWith('pack-') && name.endsWith('.idx') && packs.has(`${name.slice(0, -4)}.pack`))
    .map((name) => join(folder, name));
  forgetPacksGone(folder, new Set(listed));
  return listed;
}

/** Drops what is remembered of the packs of `folder` that are no longer there. */
function forgetPacksGone(folder: string, listed: ReadonlySet<string>): void {
  for (const cache of [fanouts, found]) {
    for (const path of cache.keys()) if (dirname(path) === folder && !listed.has(path)) cache.delete(path);
  }
}

function readExactly(fd: number, length: number, position: number): Buffer | null {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) return null;
    done += read;
  }
  return buffer;
}

function fanoutOf(fd: number, path: string): Uint32Array | null {
  if (fanouts.has(path)) return fanouts.get(path) ?? null;
  const head = readExactly(fd, NAMES_AT, 0);
  let table: Uint32Array | null = null;
  if (head !== null && head.readUInt32BE(0) === MAGIC && head.readUInt32BE(4) === 2) {
    table = new Uint32Array(256);
    for (let byte = 0; byte < 256; byte += 1) table[byte] = head.readUInt32BE(FANOUT_AT + byte * 4);
  }
  fanouts.set(path, table);
  return table;
}

/** Whether the pack index at `path` lists `id` (false when it cannot be read or is not version 2). */
export function packIndexHas(path: string, id: string, format: ObjectFormat): boolean {
  const hashLength = format === 'sha256' ? 32 : 20;
  const wanted = Buffer.from(id, 'hex');
  if (wanted.length !== hashLength) return false;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const fanout = fanoutOf(fd, path);
    const first = wanted[0] ?? 0;
    if (fanout === null) return false;
    const low = first === 0 ? 0 : (fanout[first - 1] ?? 0);
    const high = fanout[first] ?? 0;
    if (high <= low) return false;
    const bucket = readExactly(fd, (high - low) * hashLength, NAMES_AT + low * hashLength);
    if (bucket === null) return false;
    let from = 0;
    let to = high - low;
    while (from < to) {
      const middle = (from + to) >>> 1;
      const order = bucket.compare(wanted, 0, hashLength, middle * hashLength, (middle + 1) * hashLength);
      if (order === 0) return true;
      if (order < 0) from = middle + 1;
      else to = middle;
    }
    return false;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Whether any of `indexes` (from packIndexes, listed for this lookup's batch) lists `id`. */
export function packedObjectStored(indexes: readonly string[], id: string, format: ObjectFormat): boolean {
  if (indexes.some((path) => found.get(path)?.has(id) === true)) return true;
  const path = indexes.find((candidate) => packIndexHas(candidate, id, format));
  if (path === undefined) return false;
  let ids = found.get(path);
  if (ids === undefined) {
    ids = new Set();
    found.set(path, ids);
  }
  ids.add(id);
  return true;
}
