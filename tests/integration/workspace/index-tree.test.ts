// The tree of a private index written in-process (index-tree.ts) held against `git write-tree`: the
// same id for the same index, in every state the checkpoints meet (edits, new and deleted files
// and folders, modes, symlinks, names that sort around '/'), from the cache tree or, in a small
// index without one, whole; every tree object stored so git can read it, and the cases it leaves
// to git answered with null.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FULL_TREE_MAX_ENTRIES, writeIndexTree } from '../../../src/main/workspace/index-tree.js';
import { cleanGitEnv, git, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

const FILES: Record<string, string> = {
  'a-b': 'dash\n',
  'a.b': 'dot\n',
  'a/b': 'in a\n',
  'a/c/d.txt': 'deep\n',
  a0: 'a zero\n',
  'ab/c': 'ab\n',
  'dir with space/x y.txt': 'spaced\n',
  'ünï/çödé.txt': 'unicode\n',
  'p/q/r/s/t.txt': 'nested\n',
  empty: '',
  z: 'last\n',
};

interface Indexed {
  repo: string;
  indexFile: string;
  commonDir: string;
}

/**
 * A repository and a private index through which `add -A` and `write-tree` have run once, in index
 * format `version` (4: paths shortened against the previous entry's, as with feature.manyFiles).
 */
function indexedRepo(name: string, version: 2 | 4 = 2): Indexed {
  const repo = makeRepo(sandbox, name, FILES);
  symlinkSync('a/b', join(repo, 'link-to-a-b'));
  chmodSync(join(repo, 'z'), 0o755);
  // Files written a while before the index, as in a kept private index: none is racy, so add -A
  // invalidates in the cache tree only the folders of the paths that really change.
  const past = new Date(Date.now() - 3_600_000);
  for (const path of [...Object.keys(FILES), 'z']) utimesSync(join(repo, path), past, past);
  const indexFile = join(sandbox.root, `${name}.index`);
  git(repo, ['-c', `index.version=${version}`, 'add', '-A'], { GIT_INDEX_FILE: indexFile });
  git(repo, ['write-tree'], { GIT_INDEX_FILE: indexFile });
  expect(readFileSync(indexFile).readUInt32BE(4)).toBe(version);
  return { repo, indexFile, commonDir: join(repo, '.git') };
}

function addAll({ repo, indexFile }: Indexed): void {
  git(repo, ['add', '-A'], { GIT_INDEX_FILE: indexFile });
}

/** Our tree, checked readable by git, then git's own write-tree on a copy of the same index. */
async function bothTrees(indexed: Indexed): Promise<{ ours: string | null; gits: string }> {
  const before = readFileSync(indexed.indexFile);
  const ours = await writeIndexTree(readFileSync(indexed.indexFile), indexed.commonDir, 'sha1');
  expect(readFileSync(indexed.indexFile).equals(before)).toBe(true); // only read
  if (ours !== null) {
    // Every tree we name is stored: git lists the whole tree without its own write-tree having run.
    git(indexed.repo, ['ls-tree', '-r', '-t', ours]);
    expect(git(indexed.repo, ['cat-file', '-t', ours]).trim()).toBe('tree');
  }
  const copy = `${indexed.indexFile}.git-copy`;
  copyFileSync(indexed.indexFile, copy);
  const gits = git(indexed.repo, ['write-tree'], { GIT_INDEX_FILE: copy }).trim();
  rmSync(copy);
  return { ours, gits };
}

describe('the tree of a private index written in-process', () => {
  it.each([2, 4] as const)(
    'is the tree git write-tree writes, through edits, new and deleted files and folders, modes and symlinks (index version %i)',
    async (version) => {
      const indexed = indexedRepo('repo', version);
      const { repo } = indexed;
      const rounds: Array<[string, () => void]> = [
        ['unchanged', () => undefined],
        ['one edit deep down', () => writeFile(repo, 'p/q/r/s/t.txt', 'edited\n')],
        ['a new file beside one that sorts around "/"', () => writeFile(repo, 'a/c.txt', 'c dot\n')],
        ['a new folder', () => writeFile(repo, 'new/deeper/f.txt', 'new\n')],
        ['a deleted file, emptying its folder', () => rmSync(join(repo, 'ab'), { recursive: true })],
        ['a mode change', () => chmodSync(join(repo, 'a.b'), 0o755)],
        [
          'a symlink retargeted',
          () => (unlinkSync(join(repo, 'link-to-a-b')), symlinkSync('z', join(repo, 'link-to-a-b'))),
        ],
        ['a file replaced by a folder', () => (rmSync(join(repo, 'a0')), writeFile(repo, 'a0/inside', 'was a file\n'))],
        [
          'many files in one round',
          () => {
            for (let i = 0; i < 40; i += 1) writeFile(repo, `gen/d${i % 5}/f${i}.txt`, `${i}\n`);
          },
        ],
        // Long paths sharing a long prefix, then one sharing little of it (version 4 strips many bytes).
        ['long paths', () => writeFile(repo, `${'long-folder-name/'.repeat(12)}end.txt`, 'long\n')],
        ['after the long paths', () => writeFile(repo, 'long-folder-name/short.txt', 'short\n')],
      ];
      for (const [name, change] of rounds) {
        change();
        addAll(indexed);
        expect(readFileSync(indexed.indexFile).readUInt32BE(4), name).toBe(version); // add -A keeps the version
        const { ours, gits } = await bothTrees(indexed);
        expect(ours, name).toBe(gits);
        // Like a checkpoint: the next round starts from the index add -A leaves, TREE not refreshed
        // by us (git's write-tree above ran on a copy).
      }
      // A path longer than an entry's 12-bit length field (0xfff), which no file system here can
      // hold: put in the index by git directly.
      const blob = gitWithInput(repo, ['hash-object', '-w', '--stdin'], 'very long\n').trim();
      const longPath = `${`${'x'.repeat(250)}/`.repeat(18)}end.txt`;
      git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${longPath}`], {
        GIT_INDEX_FILE: indexed.indexFile,
      });
      const { ours, gits } = await bothTrees(indexed);
      expect(ours).toBe(gits);
      expect(git(repo, ['ls-tree', '-r', '--name-only', gits])).toContain(longPath);
    },
  );

  it('is the tree git write-tree writes in a sha256 repository', async () => {
    const repo = join(sandbox.root, 'repo-sha256');
    mkdirSync(repo);
    git(repo, ['init', '-q', '--object-format=sha256', '-b', 'main']);
    for (const [path, content] of Object.entries(FILES)) writeFile(repo, path, content);
    const indexed = { repo, indexFile: join(sandbox.root, 'sha256.index'), commonDir: join(repo, '.git') };
    addAll(indexed);
    git(repo, ['write-tree'], { GIT_INDEX_FILE: indexed.indexFile });
    writeFile(repo, 'p/q/new.txt', 'new\n');
    writeFile(repo, 'a/b', 'edited\n');
    addAll(indexed);
    const ours = await writeIndexTree(readFileSync(indexed.indexFile), indexed.commonDir, 'sha256');
    expect(ours).toMatch(/^[0-9a-f]{64}$/);
    git(repo, ['ls-tree', '-r', '-t', ours ?? '']);
    expect(git(repo, ['write-tree'], { GIT_INDEX_FILE: indexed.indexFile }).trim()).toBe(ours);
  });

  it('writes again a tree the cache tree names when its object is not stored', async () => {
    const indexed = indexedRepo('repo');
    const tree = git(indexed.repo, ['write-tree'], { GIT_INDEX_FILE: indexed.indexFile }).trim();
    // 'p' stays valid in the cache tree (nothing under it changes); like git, a stored tree is
    // trusted with its subtrees, so both are removed.
    const missing = ['p', 'p/q'].map((path) => git(indexed.repo, ['rev-parse', `${tree}:${path}`]).trim());
    for (const id of missing) unlinkSync(join(indexed.commonDir, 'objects', id.slice(0, 2), id.slice(2)));
    writeFile(indexed.repo, 'z', 'changed so the root is computed\n');
    addAll(indexed);
    const { ours, gits } = await bothTrees(indexed);
    expect(ours).toBe(gits);
    for (const id of missing) expect(git(indexed.repo, ['cat-file', '-t', id]).trim()).toBe('tree');
  });

  it('is the empty tree for an index with no entries', async () => {
    const indexed = indexedRepo('repo');
    git(indexed.repo, ['rm', '-r', '-q', '--cached', '.'], { GIT_INDEX_FILE: indexed.indexFile });
    git(indexed.repo, ['write-tree'], { GIT_INDEX_FILE: indexed.indexFile });
    const { ours, gits } = await bothTrees(indexed);
    expect(ours).toBe(gits);
  });

  it('computes the whole tree of a small index that has no cache tree yet, storing only what is missing', async () => {
    const fresh = makeRepo(sandbox, 'fresh', FILES);
    symlinkSync('a/b', join(fresh, 'link-to-a-b'));
    chmodSync(join(fresh, 'z'), 0o755);
    writeFile(fresh, 'p/q/new.txt', 'not committed\n');
    const indexed = { repo: fresh, indexFile: join(sandbox.root, 'fresh.index'), commonDir: join(fresh, '.git') };
    addAll(indexed);
    const committed = git(fresh, ['rev-parse', 'HEAD:a']).trim();
    const { ours, gits } = await bothTrees(indexed);
    expect(ours).toBe(gits);
    // The folder 'a' is HEAD's: found stored, so no second copy was needed (it is loose here).
    expect(git(fresh, ['rev-parse', `${ours ?? ''}:a`]).trim()).toBe(committed);
    // And again from the same index (no extension is ever added by us): the same tree.
    expect(await writeIndexTree(readFileSync(indexed.indexFile), indexed.commonDir, 'sha1')).toBe(ours);
  });

  it('leaves to git the indexes it does not read: a large one with no cache tree, version 5, intent-to-add, conflicts', async () => {
    const large = makeRepo(sandbox, 'large', null);
    for (let i = 0; i <= FULL_TREE_MAX_ENTRIES; i += 1) writeFile(large, `d${i % 16}/f${i}.txt`, `${i}\n`);
    const largeIndex = join(sandbox.root, 'large.index');
    git(large, ['add', '-A'], { GIT_INDEX_FILE: largeIndex });
    expect(await writeIndexTree(readFileSync(largeIndex), join(large, '.git'), 'sha1')).toBeNull();

    // A version this does not know (5), with its checksum made right.
    const v5 = indexedRepo('v5');
    const v5Bytes = readFileSync(v5.indexFile);
    v5Bytes.writeUInt32BE(5, 4);
    createHash('sha1')
      .update(v5Bytes.subarray(0, v5Bytes.length - 20))
      .digest()
      .copy(v5Bytes, v5Bytes.length - 20);
    expect(await writeIndexTree(v5Bytes, v5.commonDir, 'sha1')).toBeNull();

    const intent = indexedRepo('intent');
    writeFile(intent.repo, 'later.txt', 'later\n');
    git(intent.repo, ['add', '-N', 'later.txt'], { GIT_INDEX_FILE: intent.indexFile });
    expect(await writeIndexTree(readFileSync(intent.indexFile), intent.commonDir, 'sha1')).toBeNull();

    const conflicted = indexedRepo('conflicted');
    const blob = gitWithInput(conflicted.repo, ['hash-object', '-w', '--stdin'], 'conflict\n').trim();
    const stages = [`0 ${'0'.repeat(40)}\tz`, ...[1, 2, 3].map((stage) => `100644 ${blob} ${stage}\tz`)];
    gitWithInput(conflicted.repo, ['update-index', '--index-info'], `${stages.join('\n')}\n`, {
      GIT_INDEX_FILE: conflicted.indexFile,
    });
    expect(git(conflicted.repo, ['ls-files', '-u'], { GIT_INDEX_FILE: conflicted.indexFile })).toContain('\tz');
    expect(await writeIndexTree(readFileSync(conflicted.indexFile), conflicted.commonDir, 'sha1')).toBeNull();

    const damaged = indexedRepo('damaged');
    const bytes = readFileSync(damaged.indexFile);
    bytes[40] = (bytes[40] ?? 0) ^ 0xff;
    writeFileSync(damaged.indexFile, bytes);
    expect(await writeIndexTree(readFileSync(damaged.indexFile), damaged.commonDir, 'sha1')).toBeNull();
  });
});

function gitWithInput(cwd: string, args: string[], input: string, env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', env: cleanGitEnv(env) });
}
