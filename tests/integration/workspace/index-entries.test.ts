// The reader of an index file's entries (index-entries.ts) held against git's own listing of the
// same index (`git ls-files --stage -z`, in index order): the same paths, modes and ids in versions
// 2, 3 and 4 (version 4 shortens each path against the previous one), for paths that share long
// prefixes, share none, are not ASCII, or are longer than an entry's 12-bit length field; and a
// damaged version 4 path is refused, never read wrongly.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIndexEntries } from '../../../src/main/workspace/index-entries.js';
import { git, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

/** A small deterministic generator (mulberry32), so a failure names the same paths again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTS = ['a', 'ab', 'a.b', 'a-b', 'src', 'src2', 'ünï', 'çödé', 'x y', 'deep', 'z', '0'];

/** `count` distinct paths, from a seed: nested, sharing prefixes, some not ASCII. */
function paths(seed: number, count: number): string[] {
  const next = random(seed);
  const found = new Set<string>();
  while (found.size < count) {
    const depth = 1 + Math.floor(next() * 5);
    const parts = Array.from({ length: depth }, () => PARTS[Math.floor(next() * PARTS.length)] ?? 'a');
    found.add(`${parts.join('/')}/f${Math.floor(next() * 1000)}.txt`);
  }
  return [...found];
}

/** What git lists of the index at `indexFile`: path, mode and id of each entry, in index order. */
function gitListing(repo: string, indexFile: string): string[] {
  return git(repo, ['ls-files', '--stage', '-z'], { GIT_INDEX_FILE: indexFile })
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode = '', id = ''] = meta.split(' ');
      return `${mode} ${id} ${path}`;
    });
}

function ourListing(indexFile: string): string[] {
  const entries = readIndexEntries(readFileSync(indexFile), 'sha1');
  if (typeof entries === 'string') throw new Error(entries);
  return Array.from({ length: entries.count }, (_, entry) => {
    const at = entries.starts[entry] ?? 0;
    const mode = entries.index.readUInt32BE(at + 24).toString(8);
    const id = entries.index.toString('hex', at + 40, at + 60);
    const start = entries.nameStarts[entry] ?? 0;
    return `${mode} ${id} ${entries.names.toString('utf8', start, start + (entries.nameLengths[entry] ?? 0))}`;
  });
}

/** The index rewritten in `version`: git lists what it listed before, and so does the reader. */
function expectSameListing(repo: string, indexFile: string, version: number, expected: string[]): void {
  git(repo, ['update-index', '--index-version', String(version)], { GIT_INDEX_FILE: indexFile });
  expect(readFileSync(indexFile).readUInt32BE(4)).toBe(version);
  expect(gitListing(repo, indexFile)).toEqual(expected);
  expect(ourListing(indexFile), `version ${version}`).toEqual(expected);
}

describe('the entries of an index file', () => {
  it('are the ones git lists, in versions 2, 3 and 4', () => {
    const repo = makeRepo(sandbox, 'repo', null);
    for (const path of paths(7, 300)) writeFile(repo, path, `${path}\n`);
    const indexFile = join(sandbox.root, 'entries.index');
    git(repo, ['add', '-A'], { GIT_INDEX_FILE: indexFile });
    // Longer than the 12-bit length field, around a short one: put in the index by git directly.
    writeFile(repo, 'blob.txt', 'a blob\n');
    const blob = git(repo, ['hash-object', '-w', 'blob.txt']).trim();
    for (const path of [`${'long/'.repeat(900)}a.txt`, `${'long/'.repeat(900)}b.txt`, 'long/short.txt']) {
      git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { GIT_INDEX_FILE: indexFile });
    }
    const plain = gitListing(repo, indexFile);
    expect(plain.length).toBe(303);
    for (const version of [2, 4]) expectSameListing(repo, indexFile, version, plain);
    // An entry with extended flags (intent-to-add), which version 2 cannot hold: versions 3 and 4.
    writeFile(repo, 'src/later.txt', 'later\n');
    git(repo, ['add', '-N', 'src/later.txt'], { GIT_INDEX_FILE: indexFile });
    const extended = gitListing(repo, indexFile);
    expect(extended.length).toBe(304);
    for (const version of [3, 4]) expectSameListing(repo, indexFile, version, extended);
  });

  it('in version 4, refuses a path that strips more than the previous path holds, as git does', () => {
    const repo = makeRepo(sandbox, 'repo', { 'a/one.txt': '1\n', 'a/two.txt': '2\n' });
    const indexFile = join(repo, '.git', 'index');
    git(repo, ['update-index', '--index-version', '4']);
    expect(ourListing(indexFile)).toEqual(gitListing(repo, indexFile));
    const bytes = readFileSync(indexFile);
    // The second entry starts after the header (12 bytes) and the first entry: 62 bytes of stat
    // data, id and flags, then its path field (strip count 0, "a/one.txt", NUL). Its own strip
    // count comes after its 62 bytes: "a/one.txt" -> "a/two.txt" strips "one.txt", 7 bytes.
    const stripAt = 12 + 62 + 1 + 'a/one.txt'.length + 1 + 62;
    expect(bytes[stripAt]).toBe(7);
    bytes[stripAt] = 10; // more than the 9 bytes of "a/one.txt"
    const damaged = join(sandbox.root, 'damaged.index');
    writeFileSync(damaged, rechecksummed(bytes));
    expect(readIndexEntries(readFileSync(damaged), 'sha1')).toBe('damaged path');
    expect(() => gitListing(repo, damaged)).toThrow();
  });
});

describe('a damaged index header', () => {
  it('claiming more entries than the file can hold is refused, not allocated for', () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const bytes = readFileSync(join(repo, '.git', 'index'));
    for (const count of [0xffffffff, 2]) {
      const damaged = Buffer.from(bytes);
      damaged.writeUInt32BE(count, 8);
      expect(readIndexEntries(rechecksummed(damaged), 'sha1')).toBe(`${count} entries, more than the file holds`);
    }
  });
});

/** An index whose bytes were changed, its checksum made right again. */
function rechecksummed(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  createHash('sha1')
    .update(copy.subarray(0, copy.length - 20))
    .digest()
    .copy(copy, copy.length - 20);
  return copy;
}
