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
// its path, NUL-padded so the entry is a multiple of 8 bytes long. Version 4 (what git writes with
// `feature.manyFiles` or `index.version=4`) shortens the paths instead: an entry's path is a number
// N (a varint) and a NUL-terminated suffix, and means the previous entry's path without its last N
// bytes, then the suffix; there is no padding. Those paths are written out whole into a buffer of
// their own (`names`), so the readers find every path the same way in every version.
//
// Anything this does not read (another version, a damaged file) is refused with a reason, and the
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
  /** The bytes the paths are read from: the index itself, or for version 4 the paths written out whole. */
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
  if (version !== 2 && version !== 3 && version !== 4) return `index version ${version}`;
  const end = index.length - hashLength;
  const trailer = index.subarray(end);
  if (trailer.every((byte) => byte === 0)) return 'no checksum';
  if (!createHash(format).update(index.subarray(0, end)).digest().equals(trailer)) return 'checksum mismatch';
  // Every entry takes at least its fixed part and two bytes of path field: a header that claims
  // more entries than the file can hold is refused before anything is allocated for them.
  if (count * (40 + hashLength + 4) > end - 12) return `${count} entries, more than the file holds`;
  const starts = new Uint32Array(count);
  const flags = new Uint16Array(count);
  const nameStarts = new Uint32Array(count);
  const nameLengths = new Uint32Array(count);
  const names = version === 4 ? new PathWriter(index.length) : null;
  let offset = 12;
  for (let entry = 0; entry < count; entry += 1) {
    const flagsAt = offset + 40 + hashLength;
    if (flagsAt + 2 > end) return 'truncated entry';
    const entryFlags = index.readUInt16BE(flagsAt);
    const nameAt = flagsAt + ((entryFlags & EXTENDED) !== 0 && version >= 3 ? 4 : 2);
    const path = names === null ? paddedPath(index, offset, nameAt, entryFlags, end) : names.add(index, nameAt, end);
    if (path === null) return names === null ? 'truncated entry' : 'damaged path';
    // Version 4 states the whole path's length in the flags too (always so for versions 2 and 3).
    if ((entryFlags & NAME_MASK) !== NAME_MASK && (entryFlags & NAME_MASK) !== path.length) return 'damaged path';
    starts[entry] = offset;
    flags[entry] = entryFlags;
    nameStarts[entry] = path.start;
    nameLengths[entry] = path.length;
    offset = path.next;
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
  return {
    index,
    version,
    hashLength,
    count,
    starts,
    flags,
    nameStarts,
    nameLengths,
    names: names?.bytes() ?? index,
    extensions,
  };
}

/**
 * A version 2 or 3 entry's path, in the index itself: where it starts, how long it is (the flags'
 * 12 bits, or up to its NUL when longer), and where the next entry starts (NUL-padded to a
 * multiple of 8 bytes, at least one NUL). Null when it runs past `end`.
 */
function paddedPath(
  index: Buffer,
  offset: number,
  nameAt: number,
  entryFlags: number,
  end: number,
): { start: number; length: number; next: number } | null {
  let length = entryFlags & NAME_MASK;
  if (length === NAME_MASK) {
    const nul = index.indexOf(0, nameAt);
    if (nul < 0 || nul > end) return null;
    length = nul - nameAt;
  }
  const next = offset + ((nameAt - offset + length + 8) & ~7);
  return next > end ? null : { start: nameAt, length, next };
}

/** Version 4's paths, written out whole one after the other (see the header). */
class PathWriter {
  private buffer: Buffer;
  private used = 0;
  private previousStart = 0;
  private previousLength = 0;

  constructor(sizeHint: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(4096, sizeHint * 2));
  }

  /**
   * The path of the entry whose path field starts at `at` in `index` (before `end`): where it is in
   * these bytes, how long, and where the next entry starts. Null when the field does not parse.
   */
  add(index: Buffer, at: number, end: number): { start: number; length: number; next: number } | null {
    // The varint git writes for N: 7 bits a byte, most significant first, each byte but the last
    // with its top bit set, and 1 added to the value before each further 7 bits.
    let cursor = at;
    let byte = cursor < end ? (index[cursor] ?? 0) : -1;
    if (byte < 0) return null;
    cursor += 1;
    let strip = byte & 0x7f;
    while ((byte & 0x80) !== 0) {
      byte = cursor < end ? (index[cursor] ?? 0) : -1;
      if (byte < 0 || strip > 0xffffff) return null;
      cursor += 1;
      strip = (strip + 1) * 128 + (byte & 0x7f);
    }
    if (strip > this.previousLength) return null;
    const nul = index.indexOf(0, cursor);
    if (nul < 0 || nul >= end) return null;
    const kept = this.previousLength - strip;
    const length = kept + (nul - cursor);
    this.reserve(length);
    const start = this.used;
    // Byte by byte: most paths are tens of bytes, where Buffer.copy's native call costs more.
    const buffer = this.buffer;
    for (let byte = 0; byte < kept; byte += 1) buffer[start + byte] = buffer[this.previousStart + byte] ?? 0;
    for (let from = cursor, to = start + kept; from < nul; from += 1, to += 1) buffer[to] = index[from] ?? 0;
    this.used += length;
    this.previousStart = start;
    this.previousLength = length;
    return { start, length, next: nul + 1 };
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  private reserve(length: number): void {
    if (this.used + length <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + length));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
