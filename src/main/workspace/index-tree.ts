// The tree of a private index written in-process, as `git write-tree` writes it: one git process
// less per checkpoint (bench/checkpoint). The index is only read, never written.
//
// Git keeps, in the index's TREE extension (the "cache tree"), the tree id of every folder whose
// entries have not changed since a tree was last written from it; `add -A` marks the folders of
// the paths it changes (and their parents) as unknown. So after one `git write-tree` has filled the
// extension, a checkpoint only has to compute the trees of the folders the turn touched: their
// entries, in index order, as `<mode> <name>\0<raw id>` records (sub-folders as mode 40000).
// A folder the extension knows is taken as is when its tree object is stored (a loose object, one in
// a pack, packed-object.ts, or one this call has already met); otherwise it is computed again like any
// other folder.
//
// An index without the extension (the first tree of a private index: only git's write-tree adds
// one) is computed whole when it is small (FULL_TREE_MAX_ENTRIES): every folder hashed, and written
// only when not stored yet (a goal's first checkpoint mostly meets the trees of HEAD). Such an index
// then never gets the extension, so each later tree is computed whole too (the pre checkpoint of
// the next turn is mostly skipped by index-tree-cache.ts): measured 0.9 ms at 1k entries against
// 0.25 ms from a cache tree, so up to the limit about a millisecond per turn, against one git
// process (tens of milliseconds here) saved at the goal's first checkpoint.
//
// Only the plain case is done here; anything else returns null and the caller runs
// `git write-tree` (which also fills the extension again): no TREE extension in a larger index,
// index version other than 2, 3 and 4 (index-entries.ts reads them), extended flags (intent-to-add,
// skip-worktree), conflict stages, a split index or sparse folders, or a checksum that does not
// match. Conformance: tests/integration/workspace/index-tree.test.ts compares with `git write-tree`.
import { EXTENDED, STAGE_MASK, readIndexEntries, type IndexEntries } from './index-entries.js';
import { looseObjectPath, looseObjectStored, objectId, writeLooseObject, type ObjectFormat } from './loose-object.js';
import { packIndexes, packedObjectStored } from './packed-object.js';

const TYPE_MASK = 0o170000;
const DIRECTORY = 0o040000;
const REFUSED_EXTENSIONS = new Set(['link', 'sdir']);
const SLASH = 0x2f;
const CACHE_TREE_COUNTS = /^(-?\d+) (\d+)$/;
const ZERO_BYTE = Buffer.from([0]);
const TREE_MODE = Buffer.from('40000 ', 'latin1');

/** A folder's tree as the TREE extension records it (null id: unknown since the last write-tree). */
interface CachedTree {
  entryCount: number;
  id: string | null;
}

interface ParsedIndex {
  entries: IndexEntries;
  /** By folder path ('' for the root, else 'a/b/'), as latin1 strings of the path bytes. */
  trees: Map<string, CachedTree>;
}

/** Most entries of an index without a TREE extension whose tree is still computed here (see the header). */
export const FULL_TREE_MAX_ENTRIES = 2048;

/** The index's entries and TREE extension (empty when a small index has none), or null when the index is not the plain case (header). */
export function parseIndexForTree(index: Buffer, format: ObjectFormat): ParsedIndex | null {
  const entries = readIndexEntries(index, format);
  if (typeof entries === 'string') return null;
  for (let entry = 0; entry < entries.count; entry += 1) {
    const mode = index.readUInt32BE((entries.starts[entry] ?? 0) + 24);
    if (((entries.flags[entry] ?? 0) & (EXTENDED | STAGE_MASK)) !== 0 || (mode & TYPE_MASK) === DIRECTORY) return null;
  }
  let trees: Map<string, CachedTree> | null = null;
  for (const { signature, body } of entries.extensions) {
    if (REFUSED_EXTENSIONS.has(signature)) return null;
    if (signature === 'TREE') trees = parseCacheTree(body, entries.hashLength);
  }
  if (trees === null) {
    if (entries.count > FULL_TREE_MAX_ENTRIES) return null;
    trees = new Map();
  }
  return { entries, trees };
}

/**
 * The TREE extension: per folder, pre-order, `<name>\0<entry count> <subtree count>\n` and the
 * tree id when the entry count is not negative (the root's name is empty). Null when it does not parse.
 */
function parseCacheTree(data: Buffer, hashLength: number): Map<string, CachedTree> | null {
  const trees = new Map<string, CachedTree>();
  let at = 0;
  const read = (parent: string | null): boolean => {
    const nul = data.indexOf(0, at);
    if (nul < 0 || (parent === null && nul !== at)) return false;
    const newline = data.indexOf(0x0a, nul);
    const counts = newline < 0 ? null : CACHE_TREE_COUNTS.exec(data.toString('latin1', nul + 1, newline));
    if (counts === null) return false;
    const path = parent === null ? '' : `${parent}${data.toString('latin1', at, nul)}/`;
    const entryCount = Number(counts[1]);
    at = newline + 1;
    let id: string | null = null;
    if (entryCount >= 0) {
      if (at + hashLength > data.length) return false;
      id = data.toString('hex', at, at + hashLength);
      at += hashLength;
    }
    trees.set(path, { entryCount, id });
    for (let child = Number(counts[2]); child > 0; child -= 1) if (!read(path)) return false;
    return true;
  };
  return read(null) && at === data.length ? trees : null;
}

/** Whether entry `at`'s path starts with `prefix` (bytes) and goes on past it. */
function under(entries: IndexEntries, at: number, prefix: Buffer): boolean {
  const nameAt = entries.nameStarts[at] ?? 0;
  return (
    (entries.nameLengths[at] ?? 0) > prefix.length &&
    entries.names.compare(prefix, 0, prefix.length, nameAt, nameAt + prefix.length) === 0
  );
}

/** The end of the run of entries from `start` (below `limit`) whose paths begin with `prefix`. */
function runEnd(entries: IndexEntries, start: number, limit: number, prefix: Buffer): number {
  let at = start;
  while (at < limit && under(entries, at, prefix)) at += 1;
  return at;
}

interface TreeWriter {
  commonDir: string;
  format: ObjectFormat;
  entries: IndexEntries;
  trees: Map<string, CachedTree>;
  /**
   * Tree ids found stored or written during this call. Never kept past it: an object can leave the
   * repository between two checkpoints (`git prune` of a deleted goal's trees), and a later tree
   * naming it would then name a missing object. Git's write-tree checks again each time too.
   */
  known: Set<string>;
  /** The repository's pack indexes, listed at the first lookup that needs them. */
  packs: string[] | null;
}

/** Whether a tree object can be used as stored: seen by this call, stored loose, or in a pack. */
function stored(writer: TreeWriter, id: string): boolean {
  if (writer.known.has(id)) return true;
  if (!looseObjectStored(looseObjectPath(writer.commonDir, id))) {
    writer.packs ??= packIndexes(writer.commonDir);
    if (!packedObjectStored(writer.packs, id, writer.format)) return false;
  }
  writer.known.add(id);
  return true;
}

/**
 * The folder `prefix` (bytes, ending in '/') whose entries start at `start`: its tree id and the
 * end of its entries. A folder the cache tree knows, with exactly its entry count under it and a
 * stored tree, is taken as is without looking at its entries.
 */
async function writeFolder(
  writer: TreeWriter,
  start: number,
  limit: number,
  prefix: Buffer,
): Promise<{ id: string; end: number }> {
  const { entries } = writer;
  const cached = writer.trees.get(prefix.toString('latin1'));
  if (cached !== undefined && cached.id !== null && cached.entryCount > 0) {
    const end = start + cached.entryCount;
    if (
      end <= limit &&
      under(entries, end - 1, prefix) &&
      (end === limit || !under(entries, end, prefix)) &&
      stored(writer, cached.id)
    ) {
      return { id: cached.id, end };
    }
  }
  const end = prefix.length === 0 ? limit : runEnd(entries, start, limit, prefix);
  const records: Buffer[] = [];
  let at = start;
  while (at < end) {
    const nameAt = entries.nameStarts[at] ?? 0;
    const nameEnd = nameAt + (entries.nameLengths[at] ?? 0);
    const slash = entries.names.indexOf(SLASH, nameAt + prefix.length);
    if (slash < 0 || slash >= nameEnd) {
      const entryAt = entries.starts[at] ?? 0;
      const mode = entries.index.readUInt32BE(entryAt + 24);
      records.push(
        Buffer.from(`${mode.toString(8)} `, 'latin1'),
        entries.names.subarray(nameAt + prefix.length, nameEnd),
        ZERO_BYTE,
        entries.index.subarray(entryAt + 40, entryAt + 40 + entries.hashLength),
      );
      at += 1;
      continue;
    }
    const folder = entries.names.subarray(nameAt, slash + 1);
    const sub = await writeFolder(writer, at, end, folder);
    records.push(
      TREE_MODE,
      entries.names.subarray(nameAt + prefix.length, slash),
      ZERO_BYTE,
      Buffer.from(sub.id, 'hex'),
    );
    at = sub.end;
  }
  const body = Buffer.concat(records);
  const id = objectId(writer.format, 'tree', body);
  if (!stored(writer, id)) {
    await writeLooseObject(writer.commonDir, writer.format, 'tree', body);
    writer.known.add(id);
  }
  return { id, end };
}

/**
 * Writes the tree of an index file's bytes (every subtree stored) and returns its id, or null when
 * this index is not the plain case (see the header): then run `git write-tree`.
 */
export async function writeIndexTree(index: Buffer, commonDir: string, format: ObjectFormat): Promise<string | null> {
  const parsed = parseIndexForTree(index, format);
  if (parsed === null) return null;
  const writer: TreeWriter = {
    commonDir,
    format,
    entries: parsed.entries,
    trees: parsed.trees,
    known: new Set(),
    packs: null,
  };
  return (await writeFolder(writer, 0, parsed.entries.count, Buffer.alloc(0))).id;
}
