// The tree of a private index written in-process, as `git write-tree` writes it: one git process
// less per checkpoint (bench/checkpoint). The index is only read, never written.
//
// Git keeps, in the index's TREE extension (the "cache tree"), the tree id of every folder whose
// entries have not changed since a tree was last written from it; `add -A` marks the folders of
// the paths it changes (and their parents) as unknown. So after one `git write-tree` has filled the
// extension, a checkpoint only has to compute the trees of the folders the turn touched: their
// entries, in index order, as `<mode> <name>\0<raw id>` records (sub-folders as mode 40000).
// A folder the extension knows is taken as is when its tree object is stored (a loose object, or
// one this process has seen); otherwise it is computed again like any other folder.
//
// Only the plain case is done here; anything else returns null and the caller runs
// `git write-tree` (which also fills the extension again): no TREE extension yet (the first tree of
// a private index), index version other than 2 and 3, extended flags (intent-to-add,
// skip-worktree), conflict stages, a split index or sparse folders, or a checksum that does not
// match. Conformance: tests/integration/workspace/index-tree.test.ts compares with `git write-tree`.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { looseObjectPath, objectId, writeLooseObject, type ObjectFormat } from './loose-object.js';
import { pathExists } from './path-exists.js';

const EXTENDED = 0x4000;
const STAGE_MASK = 0x3000;
const NAME_MASK = 0x0fff;
const TYPE_MASK = 0o170000;
const DIRECTORY = 0o040000;
const REFUSED_EXTENSIONS = new Set(['link', 'sdir']);
const SLASH = 0x2f;
const CACHE_TREE_COUNTS = /^(-?\d+) (\d+)$/;

interface IndexEntry {
  /** The path's bytes (git compares and writes bytes, not characters). */
  path: Buffer;
  mode: number;
  /** The raw object id. */
  id: Buffer;
}

/** A folder's tree as the TREE extension records it (null id: unknown since the last write-tree). */
interface CachedTree {
  entryCount: number;
  id: string | null;
}

interface ParsedIndex {
  entries: IndexEntry[];
  /** By folder path ('' for the root, else 'a/b/'), as latin1 strings of the path bytes. */
  trees: Map<string, CachedTree>;
}

/** Tree ids known to be stored, per object folder (so a known tree costs no stat the next time). */
const storedTrees = new Map<string, Set<string>>();

function knownStored(commonDir: string): Set<string> {
  let known = storedTrees.get(commonDir);
  if (known === undefined) {
    known = new Set();
    storedTrees.set(commonDir, known);
  }
  return known;
}

/** The index's entries and TREE extension, or null when the index is not the plain case (header). */
export function parseIndexForTree(index: Buffer, format: ObjectFormat): ParsedIndex | null {
  const hashLength = format === 'sha256' ? 32 : 20;
  if (index.length < 12 + hashLength || index.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = index.readUInt32BE(4);
  if (version !== 2 && version !== 3) return null;
  const count = index.readUInt32BE(8);
  const end = index.length - hashLength;
  const trailer = index.subarray(end);
  if (!createHash(format).update(index.subarray(0, end)).digest().equals(trailer)) return null;
  const entries: IndexEntry[] = [];
  let offset = 12;
  for (let entry = 0; entry < count; entry += 1) {
    const idAt = offset + 40;
    const flagsAt = idAt + hashLength;
    if (flagsAt + 2 > end) return null;
    const mode = index.readUInt32BE(offset + 24);
    const flags = index.readUInt16BE(flagsAt);
    if ((flags & (EXTENDED | STAGE_MASK)) !== 0 || (mode & TYPE_MASK) === DIRECTORY) return null;
    const nameAt = flagsAt + 2;
    let nameLength = flags & NAME_MASK;
    if (nameLength === NAME_MASK) {
      const nul = index.indexOf(0, nameAt);
      if (nul < 0 || nul > end) return null;
      nameLength = nul - nameAt;
    }
    entries.push({
      path: index.subarray(nameAt, nameAt + nameLength),
      mode,
      id: index.subarray(idAt, idAt + hashLength),
    });
    offset += (nameAt - offset + nameLength + 8) & ~7;
    if (offset > end) return null;
  }
  let trees: Map<string, CachedTree> | null = null;
  while (offset < end) {
    if (offset + 8 > end) return null;
    const signature = index.toString('latin1', offset, offset + 4);
    const size = index.readUInt32BE(offset + 4);
    const body = offset + 8;
    if (body + size > end || REFUSED_EXTENSIONS.has(signature)) return null;
    if (signature === 'TREE') trees = parseCacheTree(index.subarray(body, body + size), hashLength);
    offset = body + size;
  }
  if (offset !== end || trees === null) return null;
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

/** The end of the run of entries from `start` whose paths begin with `prefix` (index order). */
function runEnd(entries: IndexEntry[], start: number, prefix: Buffer): number {
  let at = start;
  while (at < entries.length) {
    const path = entries[at]?.path;
    if (
      path === undefined ||
      path.length <= prefix.length ||
      path.compare(prefix, 0, prefix.length, 0, prefix.length) !== 0
    )
      break;
    at += 1;
  }
  return at;
}

interface TreeWriter {
  commonDir: string;
  format: ObjectFormat;
  trees: Map<string, CachedTree>;
  known: Set<string>;
}

/** Whether a tree object the cache tree names can be used: stored loose, or seen by this process. */
async function stored(writer: TreeWriter, id: string): Promise<boolean> {
  if (writer.known.has(id)) return true;
  if (!(await pathExists(looseObjectPath(writer.commonDir, id)))) return false;
  writer.known.add(id);
  return true;
}

/** Writes the tree of entries [start, end), all under `prefix` (bytes), and returns its id. */
async function writeFolder(
  writer: TreeWriter,
  entries: IndexEntry[],
  start: number,
  end: number,
  prefix: Buffer,
): Promise<string> {
  const cached = writer.trees.get(prefix.toString('latin1'));
  if (cached !== undefined && cached.id !== null && cached.entryCount === end - start) {
    if (await stored(writer, cached.id)) return cached.id;
  }
  const records: Buffer[] = [];
  let at = start;
  while (at < end) {
    const entry = entries[at];
    if (entry === undefined) break;
    const slash = entry.path.indexOf(SLASH, prefix.length);
    if (slash < 0) {
      records.push(
        Buffer.from(`${entry.mode.toString(8)} `, 'latin1'),
        entry.path.subarray(prefix.length),
        Buffer.from([0]),
        entry.id,
      );
      at += 1;
      continue;
    }
    const folder = entry.path.subarray(0, slash + 1);
    const folderEnd = runEnd(entries, at, folder);
    const id = await writeFolder(writer, entries, at, Math.min(folderEnd, end), folder);
    records.push(
      Buffer.from('40000 ', 'latin1'),
      entry.path.subarray(prefix.length, slash),
      Buffer.from([0]),
      Buffer.from(id, 'hex'),
    );
    at = folderEnd;
  }
  const body = Buffer.concat(records);
  const id = objectId(writer.format, 'tree', body);
  if (!(await stored(writer, id))) {
    await writeLooseObject(writer.commonDir, writer.format, 'tree', body);
    writer.known.add(id);
  }
  return id;
}

/**
 * Writes the tree of `indexFile` (every subtree stored) and returns its id, or null when this
 * index is not the plain case (see the header): then run `git write-tree`.
 */
export async function writeIndexTree(
  indexFile: string,
  commonDir: string,
  format: ObjectFormat,
): Promise<string | null> {
  let index: Buffer;
  try {
    index = await readFile(indexFile);
  } catch {
    return null;
  }
  const parsed = parseIndexForTree(index, format);
  if (parsed === null) return null;
  const writer: TreeWriter = { commonDir, format, trees: parsed.trees, known: knownStored(commonDir) };
  return writeFolder(writer, parsed.entries, 0, parsed.entries.length, Buffer.alloc(0));
}
