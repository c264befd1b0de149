// A goal's first checkpoint seeds its private index from the working tree's own index
// (index-seed.ts): the snapshot must hold exactly what a snapshot through an empty index holds,
// whatever state the user's index is in, and the user's index must be left byte for byte as it was.
// The seed is only taken when it pays (SEED_MIN_SETTLED entries not racy), so the repositories here
// carry a bulk of files written an hour ago and an index refreshed after that.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { parseIndexForTree } from '../../../src/main/workspace/index-tree.js';
import {
  SEED_MIN_SETTLED,
  seedPrivateIndex,
  seedRefusal,
  type SeedOutcome,
} from '../../../src/main/workspace/index-seed.js';
import { git, independentTree, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

const FILES: Record<string, string> = {
  'a.txt': 'a\n',
  'src/b.ts': 'export const b = 1;\n',
  'src/c.ts': 'export const c = 1;\n',
  'build/out.js': 'built\n',
  'notes.log': 'tracked log\n',
};

/** Enough files that a seed pays once they are settled. */
function bulkFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < SEED_MIN_SETTLED + 64; i += 1) files[`bulk/d${i % 16}/f${i}.txt`] = `${i}\n`;
  return files;
}

/** Dates every file of the working tree an hour back, then lets git record that in its index. */
function settle(repo: string): void {
  const past = new Date(Date.now() - 3_600_000);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else utimesSync(path, past, past);
    }
  };
  walk(repo);
  git(repo, ['update-index', '-q', '--refresh']);
}

/** A repository with FILES (and `extra`) plus the bulk, committed and settled. */
function settledRepo(name: string, extra: Record<string, string> = {}): string {
  const repo = makeRepo(sandbox, name, { ...FILES, ...bulkFiles(), ...extra });
  settle(repo);
  return repo;
}

/** What seeding a private index from `indexFile` does now (into a scratch file, removed again). */
async function seedOutcome(indexFile: string): Promise<SeedOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), 'overseer-seed-'));
  try {
    return await seedPrivateIndex(indexFile, join(scratch, 'private.index'), 'sha1');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function seeds(repo: string): Promise<boolean> {
  return (await seedOutcome(join(repo, '.git', 'index'))).seeded;
}

/** Checkpoints an in-place goal once and compares with plain git through an empty index. */
async function firstCheckpointMatchesEmptyIndex(repo: string): Promise<string> {
  const indexFile = join(repo, '.git', 'index');
  const before = readFileSync(indexFile);
  const beforeMtime = statSync(indexFile).mtimeMs;
  const expected = independentTree(repo);
  const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
  const ws = await manager.ensure(makeGoal(repo, { inPlace: true }));
  const checkpoint = await manager.checkpoint(ws, 0, 'pre');
  expect(checkpoint.tree).toBe(expected);
  // The user's index is only read.
  expect(readFileSync(indexFile).equals(before)).toBe(true);
  expect(statSync(indexFile).mtimeMs).toBe(beforeMtime);
  // And the next checkpoints, through the kept private index, still agree with plain git.
  writeFile(repo, 'src/b.ts', 'export const b = 2;\n');
  const post = await manager.checkpoint(ws, 0, 'post');
  expect(post.tree).toBe(independentTree(repo));
  return checkpoint.tree;
}

function indexAccepted(repo: string): boolean {
  return seedRefusal(readFileSync(join(repo, '.git', 'index')), 'sha1') === null;
}

describe("the first checkpoint seeded from the working tree's index", () => {
  it('holds what an empty index holds for a clean working tree, with edits, new and deleted files', async () => {
    const repo = settledRepo('repo');
    expect(indexAccepted(repo)).toBe(true);
    writeFile(repo, 'a.txt', 'changed\n');
    writeFile(repo, 'new.txt', 'new\n');
    git(repo, ['rm', '-q', '--cached', 'src/c.ts']); // a staged deletion of a file still on disk
    expect(await seeds(repo)).toBe(true);
    await firstCheckpointMatchesEmptyIndex(repo);
  });

  it('seeds from an index in version 4 (feature.manyFiles), and the later trees are written in-process', async () => {
    const repo = settledRepo('repo');
    git(repo, ['update-index', '--index-version', '4']);
    expect(readFileSync(join(repo, '.git', 'index')).readUInt32BE(4)).toBe(4);
    expect(indexAccepted(repo)).toBe(true);
    writeFile(repo, 'a.txt', 'changed\n');
    writeFile(repo, 'bulk/d3/new.txt', 'new\n');
    expect(await seeds(repo)).toBe(true);
    await firstCheckpointMatchesEmptyIndex(repo);
    // The private index (a copy, so version 4 too) has its trees written in-process, as in version 2.
    const privateIndexes = readdirSync(join(repo, '.git', 'overseer'));
    expect(privateIndexes).toHaveLength(1);
    const privateIndex = readFileSync(join(repo, '.git', 'overseer', privateIndexes[0] ?? ''));
    expect(privateIndex.readUInt32BE(4)).toBe(4);
    expect(parseIndexForTree(privateIndex, 'sha1')).not.toBeNull();
  });

  it('leaves out tracked files that an ignore rule matches, as an empty index does', async () => {
    const repo = settledRepo('repo');
    writeFile(repo, '.gitignore', 'build/\n*.log\n');
    expect(indexAccepted(repo)).toBe(true);
    expect(await seeds(repo)).toBe(true);
    const tree = await firstCheckpointMatchesEmptyIndex(repo);
    const names = git(repo, ['ls-tree', '-r', '--name-only', tree]).split('\n');
    expect(names).not.toContain('build/out.js');
    expect(names).not.toContain('notes.log');
    expect(names).toContain('.gitignore');
  });

  it('re-hashes a file changed in the same second as the index was written (racy git)', async () => {
    const repo = settledRepo('repo');
    // Without ctime, the stat data below matches exactly: only the index's own mtime tells.
    git(repo, ['config', 'core.trustctime', 'false']);
    writeFile(repo, 'a.txt', 'one\n');
    git(repo, ['add', 'a.txt']);
    // Same size, and the stat times the index recorded: only the timestamps tell git to look again.
    const indexed = statSync(join(repo, 'a.txt'));
    writeFile(repo, 'a.txt', 'two\n');
    utimesSync(join(repo, 'a.txt'), indexed.atime, indexed.mtime);
    // The index written in that same second, whatever the load: `git add` may have crossed a second
    // boundary after the first write, and then a.txt would not be racy and git would rightly trust it.
    utimesSync(join(repo, '.git', 'index'), indexed.atime, indexed.mtime);
    expect(await seeds(repo)).toBe(true);
    const tree = await firstCheckpointMatchesEmptyIndex(repo);
    expect(git(repo, ['show', `${tree}:a.txt`])).toBe('two\n');
  });

  it('is not used when the index trusts or skips paths, and the snapshot still holds everything', async () => {
    const cases: Array<[string, (repo: string) => void]> = [
      ['assume-unchanged', (repo) => git(repo, ['update-index', '--assume-unchanged', 'a.txt'])],
      ['skip-worktree', (repo) => git(repo, ['update-index', '--skip-worktree', 'a.txt'])],
      ['intent-to-add', (repo) => (writeFile(repo, 'later.txt', 'later\n'), git(repo, ['add', '-N', 'later.txt']))],
      [
        'skip-worktree, index version 4',
        (repo) => (
          git(repo, ['update-index', '--index-version', '4']),
          git(repo, ['update-index', '--skip-worktree', 'a.txt'])
        ),
      ],
    ];
    // One settled repository for every case (building one is slow): its index is put back after each.
    const repo = settledRepo('repo');
    const settledIndex = readFileSync(join(repo, '.git', 'index'));
    for (const [name, prepare] of cases) {
      writeFileSync(join(repo, '.git', 'index'), settledIndex);
      prepare(repo);
      writeFile(repo, 'a.txt', 'changed behind the flag\n');
      expect(indexAccepted(repo), name).toBe(false);
      expect(await seeds(repo), name).toBe(false);
      const tree = await firstCheckpointMatchesEmptyIndex(repo);
      expect(git(repo, ['show', `${tree}:a.txt`]), name).toBe('changed behind the flag\n');
    }
  });

  it('is not used with a submodule gitlink: an empty submodule folder stays out as with an empty index', async () => {
    const repo = settledRepo('repo');
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    git(repo, ['update-index', '--add', '--cacheinfo', `160000,${head},vendor/lib`]);
    expect(indexAccepted(repo)).toBe(false);
    await firstCheckpointMatchesEmptyIndex(repo);
  });

  it('reads an index with a conflict as not plain', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    git(repo, ['checkout', '-q', '-b', 'other']);
    writeFile(repo, 'a.txt', 'other\n');
    git(repo, ['commit', '-q', '-am', 'other']);
    git(repo, ['checkout', '-q', 'main']);
    writeFile(repo, 'a.txt', 'main\n');
    git(repo, ['commit', '-q', '-am', 'main']);
    try {
      git(repo, ['merge', '-q', 'other']);
    } catch {
      // the conflict is the point
    }
    expect(seedRefusal(readFileSync(join(repo, '.git', 'index')), 'sha1')).toBe('conflict entry');
  });

  it('is not used for a goal worktree checked out a moment ago: nearly every entry is racy', async () => {
    const repo = makeRepo(sandbox, 'repo', { ...FILES, ...bulkFiles() });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const checkoutBegan = new Date(Math.floor(Date.now() / 1000) * 1000);
    const ws = await manager.ensure(makeGoal(repo));
    const worktreeIndex = git(ws.path, ['rev-parse', '--path-format=absolute', '--git-path', 'index']).trim();
    // A checkout within one second writes its index in the second its files were written. On a loaded
    // machine the checkout can take longer, leaving its first files settled; the index is dated to the
    // second the checkout began, as a checkout within that second leaves it.
    utimesSync(worktreeIndex, checkoutBegan, checkoutBegan);
    expect(seedRefusal(readFileSync(worktreeIndex), 'sha1')).toBeNull();
    const outcome = await seedOutcome(worktreeIndex);
    expect(outcome.seeded).toBe(false);
    expect(outcome.seeded ? '' : outcome.reason).toMatch(/racy/);
    writeFile(ws.path, 'src/b.ts', 'edited in the worktree\n');
    const checkpoint = await manager.checkpoint(ws, 0, 'pre');
    expect(checkpoint.tree).toBe(independentTree(ws.path));
    await manager.deleteWorkspace(ws);
  });

  it('is not used for a small index, settled or not', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    settle(repo);
    expect(indexAccepted(repo)).toBe(true);
    const outcome = await seedOutcome(join(repo, '.git', 'index'));
    expect(outcome.seeded ? '' : outcome.reason).toMatch(/fewer than/);
    await firstCheckpointMatchesEmptyIndex(repo);
  });

  it('refuses a small index from its header, without reading the rest', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    settle(repo);
    const indexFile = join(repo, '.git', 'index');
    // Damaged past its header: a full read would say "checksum mismatch".
    writeFileSync(indexFile, flipByte(readFileSync(indexFile), 70));
    expect(seedRefusal(readFileSync(indexFile), 'sha1')).toBe('checksum mismatch');
    const outcome = await seedOutcome(indexFile);
    expect(outcome.seeded ? '' : outcome.reason).toMatch(/^\d+ entries \(fewer than \d+ could pay\)$/);
  });

  it('falls back to an empty index for an index with no entries', async () => {
    const repo = settledRepo('repo');
    git(repo, ['rm', '-r', '-q', '--cached', '.']);
    expect(seedRefusal(readFileSync(join(repo, '.git', 'index')), 'sha1')).toBe('no entries');
    expect(await seeds(repo)).toBe(false);
    const tree = await firstCheckpointMatchesEmptyIndex(repo);
    expect(git(repo, ['ls-tree', '-r', '--name-only', tree]).split('\n')).toContain('a.txt');
  });

  it('falls back to an empty index for a damaged or foreign index file, and leaves it as it was', async () => {
    const damages: Array<[string, (index: Buffer) => Buffer, string]> = [
      ['a flipped byte', (index) => flipByte(index, 70), 'checksum mismatch'],
      [
        'no checksum',
        (index) => Buffer.concat([index.subarray(0, index.length - 20), Buffer.alloc(20)]),
        'no checksum',
      ],
      ['cut short', (index) => index.subarray(0, Math.floor(index.length / 2)), 'checksum mismatch'],
      [
        'not an index',
        () => Buffer.from('garbage that is not an index at all, long enough to be read\n'),
        'not an index file',
      ],
    ];
    const repo = settledRepo('repo');
    const indexFile = join(repo, '.git', 'index');
    const settledIndex = readFileSync(indexFile);
    for (const [name, damage, reason] of damages) {
      writeFileSync(indexFile, damage(settledIndex));
      expect(seedRefusal(readFileSync(indexFile), 'sha1'), name).toBe(reason);
      expect(await seeds(repo), name).toBe(false);
      const before = readFileSync(indexFile);
      const expected = independentTree(repo);
      const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
      const ws = await manager.ensure(makeGoal(repo, { inPlace: true }));
      const checkpoint = await manager.checkpoint(ws, 0, 'pre');
      expect(checkpoint.tree, name).toBe(expected);
      expect(readFileSync(indexFile).equals(before), name).toBe(true);
    }
  });
});

function flipByte(buffer: Buffer, at: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}
