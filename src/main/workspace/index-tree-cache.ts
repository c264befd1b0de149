// The tree of a private index, remembered by the index's own checksum, so a snapshot whose
// `add -A` left the index as it was (nothing in the working tree changed: turn N+1's pre checkpoint
// right after turn N's post) skips `git write-tree`, one git process of three.
//
// Git ends every index file with the hash of everything before it, and `write-tree` is a function
// of the index's content alone: equal checksums, equal tree. `write-tree` itself may rewrite the
// index (it stores the trees it computed), so the checksum is read after it. The calls for one goal
// are serialized by the workspace manager, so nothing writes the index in between. An index
// written without a checksum (index.skipHash: all zeros) is never remembered.
import { open } from 'node:fs/promises';
import type { ObjectFormat } from './loose-object.js';

const remembered = new Map<string, { checksum: string; tree: string }>();

/** The trailing checksum of an index file (hex), or null when there is none to trust. */
export async function indexChecksum(indexFile: string, format: ObjectFormat): Promise<string | null> {
  const length = format === 'sha256' ? 32 : 20;
  try {
    const handle = await open(indexFile, 'r');
    try {
      const { size } = await handle.stat();
      // 12-byte header ("DIRC", version, entry count) before the checksum.
      if (size < 12 + length) return null;
      const trailer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(trailer, 0, length, size - length);
      if (bytesRead !== length || trailer.every((byte) => byte === 0)) return null;
      return trailer.toString('hex');
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** The trailing checksum of an index file's bytes (hex), or null when there is none to trust. */
export function checksumOf(index: Buffer, format: ObjectFormat): string | null {
  const length = format === 'sha256' ? 32 : 20;
  if (index.length < 12 + length) return null;
  const trailer = index.subarray(index.length - length);
  return trailer.every((byte) => byte === 0) ? null : trailer.toString('hex');
}

/** The tree written last from this index file, if the file still has the same content. */
export function rememberedTree(indexFile: string, checksum: string | null): string | null {
  if (checksum === null) return null;
  const entry = remembered.get(indexFile);
  return entry !== undefined && entry.checksum === checksum ? entry.tree : null;
}

export function rememberTree(indexFile: string, checksum: string | null, tree: string): void {
  if (checksum === null) remembered.delete(indexFile);
  else remembered.set(indexFile, { checksum, tree });
}

export function forgetIndex(indexFile: string): void {
  remembered.delete(indexFile);
}
