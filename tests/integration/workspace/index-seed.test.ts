// A goal's first checkpoint seeds its private index from the working tree's own index
// (index-seed.ts): the snapshot must hold exactly what a snapshot through an empty index holds,
// whatever state the user's index is in, and the user's index must be left byte for byte as it was.
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { seedRefusal } from '../../../src/main/workspace/index-seed.js';
import { git, independentTree, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

const FILES = {
  'a.txt': 'a\n',
  'src/b.ts': 'export const b = 1;\n',
  'src/c.ts': 'export const c = 1;\n',
  'build/out.js': 'built\n',
  'notes.log': 'tracked log\n',
};

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
    const repo = makeRepo(sandbox, 'repo', FILES);
    expect(indexAccepted(repo)).toBe(true);
    writeFile(repo, 'a.txt', 'changed\n');
    writeFile(repo, 'new.txt', 'new\n');
    git(repo, ['rm', '-q', '--cached', 'src/c.ts']); // a staged deletion of a file still on disk
    await firstCheckpointMatchesEmptyIndex(repo);
  });

  it('leaves out tracked files that an ignore rule matches, as an empty index does', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    writeFile(repo, '.gitignore', 'build/\n*.log\n');
    expect(indexAccepted(repo)).toBe(true);
    const tree = await firstCheckpointMatchesEmptyIndex(repo);
    const names = git(repo, ['ls-tree', '-r', '--name-only', tree]).split('\n');
    expect(names).not.toContain('build/out.js');
    expect(names).not.toContain('notes.log');
    expect(names).toContain('.gitignore');
  });

  it('re-hashes a file changed in the same second as the index was written (racy git)', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    // Without ctime, the stat data below matches exactly: only the index's own mtime tells.
    git(repo, ['config', 'core.trustctime', 'false']);
    writeFile(repo, 'a.txt', 'one\n');
    git(repo, ['add', 'a.txt']);
    // Same size, and the stat times the index recorded: only the timestamps tell git to look again.
    const indexed = statSync(join(repo, 'a.txt'));
    writeFile(repo, 'a.txt', 'two\n');
    utimesSync(join(repo, 'a.txt'), indexed.atime, indexed.mtime);
    const tree = await firstCheckpointMatchesEmptyIndex(repo);
    expect(git(repo, ['show', `${tree}:a.txt`])).toBe('two\n');
  });

  it('is not used when the index trusts or skips paths, and the snapshot still holds everything', async () => {
    const cases: Array<[string, (repo: string) => void]> = [
      ['assume-unchanged', (repo) => git(repo, ['update-index', '--assume-unchanged', 'a.txt'])],
      ['skip-worktree', (repo) => git(repo, ['update-index', '--skip-worktree', 'a.txt'])],
      ['intent-to-add', (repo) => (writeFile(repo, 'later.txt', 'later\n'), git(repo, ['add', '-N', 'later.txt']))],
      ['index version 4', (repo) => git(repo, ['update-index', '--index-version', '4'])],
    ];
    for (const [name, prepare] of cases) {
      const repo = makeRepo(sandbox, `repo-${name.replace(/\W/g, '-')}`, FILES);
      prepare(repo);
      writeFile(repo, 'a.txt', 'changed behind the flag\n');
      expect(indexAccepted(repo), name).toBe(false);
      const tree = await firstCheckpointMatchesEmptyIndex(repo);
      expect(git(repo, ['show', `${tree}:a.txt`]), name).toBe('changed behind the flag\n');
    }
  });

  it('is not used with a submodule gitlink: an empty submodule folder stays out as with an empty index', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
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

  it('seeds a goal worktree made by ensure from the index git wrote when checking it out', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const worktreeIndex = git(ws.path, ['rev-parse', '--path-format=absolute', '--git-path', 'index']).trim();
    expect(seedRefusal(readFileSync(worktreeIndex), 'sha1')).toBeNull();
    writeFile(ws.path, 'src/b.ts', 'edited in the worktree\n');
    const checkpoint = await manager.checkpoint(ws, 0, 'pre');
    expect(checkpoint.tree).toBe(independentTree(ws.path));
    await manager.deleteWorkspace(ws);
  });
});
