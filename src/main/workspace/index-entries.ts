// Reading the entries and extensions of a git index file, for the two readers of a private index
// (index-tree.ts, the tree of a checkpoint) and of the working tree's index (index-seed.ts, the
// copy a goal's first snapshot starts from). The index is located, not copied: a 50k-entry index
// is read on every checkpoint.
//
// The layout (git's gitformat-index): a 12-byte header ("DIRC", the version, the entry count), the
// entries sorted by path, the extensions (a 4-byte signature, a 4-byte size, the body), and the
// hash of all the bytes before it. An entry is 40 bytes of stat data and mode (mode at +24), the
// object id, 16 bits of flags (the path's length in the low 12 bits, 0xfff when longer, the stage
// in 0x3000, "extended" in 0x4000), 16 more bits of flags when extended (version 3 and up), and
// its path, NUL-padded so the entry is a multiple of 8 bytes long.
//
// Only versions 2 and 3 are read; anything this does not read is refused with a reason, and the
// caller then leaves the index to git.
import { createHash } from 'node:crypto';
import type { ObjectFormat } from './loose-object.js';

export const EXTENDED = 0x4000;
export const STAGE_MASK = 0x3000;
const NAME_MASK = 0x0fff;

export interface IndexEntries {
  index: Buffer;
  version: number;
  hashLength: number;
  count: number;
  /** Offset of each entry's first byte in `index` (mtime seconds at +8, mode at +24, id at +40). */
  starts: Uint32Array;
  /** Each entry's flags (the 16 bits after its id). */
  flags: Uint16Array;
  /** Where each entry's path starts in `names`, and how long it is. */
  nameStarts: Uint32Array;
  nameLengths: Uint32Array;
  /** The bytes the paths are read from: the index itself. */
  names: Buffer;
  /** The index's extensions, in order. */
  extensions: { signature: string; body: Buffer }[];
}

/** An index's 12-byte header: its signature checked, its version and entry count (null when it is no index). */
export function indexHeader(bytes: Buffer): { version: number; entries: number } | null {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'DIRC') return null;
  return { version: bytes.readUInt32BE(4), entries: bytes.readUInt32BE(8) };
}

/** The index's entries and extensions, or why they cannot be read (see the header). */
export function readIndexEntries(index: Buffer, format: ObjectFormat): IndexEntries | string {
  const hashLength = format === 'sha256' ? 32 : 20;
  const header = indexHeader(index);
  if (index.length < 12 + hashLength || header === null) return 'not an index file';
  const { version, entries: count } = header;
  if (version !== 2 && version !== 3) return `index version ${version}`;
  const end = index.length - hashLength;
  const trailer = index.subarray(end);
  if (trailer.every((byte) => byte === 0)) return 'no checksum';
  if (!createHash(format).update(index.subarray(0, end)).digest().equals(trailer)) return 'checksum mismatch';
  const starts = new Uint32Array(count);
  const flags = new Uint16Array(count);
  const nameStarts = new Uint32Array(count);
  const nameLengths = new Uint32Array(count);
  let offset = 12;
  for (let entry = 0; entry < count; entry += 1) {
    const flagsAt = offset + 40 + hashLength;
    if (flagsAt + 2 > end) return 'truncated entry';
    const entryFlags = index.readUInt16BE(flagsAt);
    const nameAt = flagsAt + ((entryFlags & EXTENDED) !== 0 && version >= 3 ? 4 : 2);
    let nameLength = entryFlags & NAME_MASK;
    if (nameLength === NAME_MASK) {
      const nul = index.indexOf(0, nameAt);
      if (nul < 0 || nul > end) return 'truncated entry';
      nameLength = nul - nameAt;
    }
    starts[entry] = offset;
    flags[entry] = entryFlags;
    nameStarts[entry] = nameAt;
    nameLengths[entry] = nameLength;
    // Entries are NUL-padded to a multiple of 8 bytes (at least one NUL).
    offset += (nameAt - offset + nameLength + 8) & ~7;
    if (offset > end) return 'truncated entry';
  }
  const extensions: { signature: string; body: Buffer }[] = [];
  while (offset < end) {
    if (offset + 8 > end) return 'truncated extension';
    const size = index.readUInt32BE(offset + 4);
    const body = offset + 8;
    if (body + size > end) return 'truncated extension';
    extensions.push({
      signature: index.toString('latin1', offset, offset + 4),
      body: index.subarray(body, body + size),
    });
    offset = body + size;
  }
  if (offset !== end) return 'truncated extension';
  return { index, version, hashLength, count, starts, flags, nameStarts, nameLengths, names: index, extensions };
}
