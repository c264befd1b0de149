// Checkpoints and per-turn diff stats on a fixture repository (worktree mode): edits, new files in
// new folders, deletions, renames, binary files, changes made by a shell command, ignored files,
// names with spaces and non-ASCII; the stat is compared with what plain `git diff -M` says between
// the same two snapshots, and the user's index, HEAD, branches and stash are checked untouched.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager, SNAPSHOT_AUTHOR } from '../../../src/main/workspace/index.js';
import {
  expectedDiff,
  filesOnDisk,
  git,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
  statSummary,
  treeOf,
  userGitState,
  writeFile,
  type Sandbox,
} from './fixture.js';

const lines = (count: number, tag: string): string =>
  Array.from({ length: count }, (_, i) => `${tag} line ${i}\n`).join('');

const INITIAL_FILES: Record<string, string | Buffer> = {
  '.gitignore': '*.log\nbuild/\n',
  'src/app.ts': lines(30, 'app'),
  'src/lib/util.ts': lines(12, 'util'),
  'docs/readme.md': lines(5, 'readme'),
  'old-name.txt': lines(40, 'moving'),
  'to-delete.txt': lines(7, 'doomed'),
  'data/image.bin': Buffer.from([0, 1, 2, 3, 255, 0, 10, 13, 0]),
  'notes/user staged.txt': 'user file\n',
};

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

/** Gives the user a staged change, an unstaged change and a stash entry in their own repository. */
function dirtyUserRepository(repo: string): void {
  writeFile(repo, 'docs/readme.md', lines(6, 'readme'));
  git(repo, ['stash', 'push', '-q', '-m', 'user stash']);
  writeFile(repo, 'notes/user staged.txt', 'user file, staged edit\n');
  git(repo, ['add', 'notes/user staged.txt']);
  writeFile(repo, 'src/app.ts', `${lines(30, 'app')}unstaged user edit\n`);
}

describe('checkpoint + diffStat (worktree mode)', () => {
  it('snapshots everything but ignored files and reports the stat git diff reports', async () => {
    const repo = makeRepo(sandbox, 'repo', INITIAL_FILES);
    dirtyUserRepository(repo);
    const before = userGitState(repo);
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);

    const pre = await manager.checkpoint(ws, 0, 'pre');
    expect(pre.ref).toBe(`refs/overseer/${goal.id}/0-pre`);
    expect(git(repo, ['rev-parse', pre.ref]).trim()).toBe(pre.sha);
    expect(treeOf(repo, pre.sha)).toBe(treeOf(repo, ws.baseCommit ?? 'missing'));

    // The turn: edits, new nested files, a deletion, a rename with an edit, binary changes,
    // ignored output, odd names, and a shell command doing more of the same.
    writeFile(ws.path, 'src/app.ts', lines(30, 'app').replace('app line 3\n', 'app line three\n') + 'appended\n');
    writeFile(ws.path, 'src/feature/deep/new.ts', lines(4, 'new'));
    rmSync(join(ws.path, 'to-delete.txt'));
    writeFile(ws.path, 'renamed/new-name.txt', lines(40, 'moving').replace('moving line 39\n', 'moved line 39\n'));
    rmSync(join(ws.path, 'old-name.txt'));
    writeFile(ws.path, 'data/image.bin', Buffer.from([0, 1, 2, 3, 254, 0, 10, 13, 0, 7]));
    writeFile(ws.path, 'data/new.bin', Buffer.from([0, 0, 0, 1]));
    writeFile(ws.path, 'debug.log', 'ignored\n');
    writeFile(ws.path, 'build/out.js', 'ignored too\n');
    writeFile(ws.path, 'données/résumé v2.txt', 'non-ascii name\n');
    execFileSync(
      'sh',
      [
        '-c',
        "printf 'by shell\\n' >> docs/readme.md && mkdir -p gen && echo hi > gen/by-shell.txt && rm src/lib/util.ts && mv 'notes/user staged.txt' notes/moved.txt",
      ],
      {
        cwd: ws.path,
      },
    );

    const post = await manager.checkpoint(ws, 0, 'post');
    expect(git(repo, ['rev-parse', post.ref]).trim()).toBe(post.sha);

    // The snapshot holds exactly the files on disk minus the ignored ones, and hashes like plain git.
    const inTree = git(repo, ['-c', 'core.quotePath=false', 'ls-tree', '-r', '--name-only', post.sha])
      .trim()
      .split('\n')
      .sort();
    const onDisk = filesOnDisk(ws.path).filter((path) => !path.endsWith('.log') && !path.startsWith('build/'));
    expect(inTree).toEqual(onDisk);
    expect(inTree).toContain('gen/by-shell.txt');
    expect(inTree).toContain('données/résumé v2.txt');
    expect(inTree).not.toContain('debug.log');
    expect(post.tree).toBe(independentTree(ws.path));

    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    const expected = expectedDiff(repo, pre.sha, post.sha);
    const actual = [...stat.files].sort((a, b) => a.path.localeCompare(b.path));
    expect(actual).toEqual(expected);
    const summary = statSummary(repo, pre.sha, post.sha);
    expect({ files: stat.files.length, added: stat.added, removed: stat.removed }).toEqual(summary);
    // Spot checks that the fixture exercised every kind of change.
    const byPath = new Map(stat.files.map((file) => [file.path, file]));
    expect(byPath.get('renamed/new-name.txt')).toMatchObject({
      status: 'renamed',
      oldPath: 'old-name.txt',
      added: 1,
      removed: 1,
    });
    expect(byPath.get('notes/moved.txt')).toMatchObject({ status: 'renamed', oldPath: 'notes/user staged.txt' });
    expect(byPath.get('data/image.bin')).toMatchObject({ status: 'modified', binary: true, added: 0, removed: 0 });
    expect(byPath.get('data/new.bin')).toMatchObject({ status: 'added', binary: true });
    expect(byPath.get('to-delete.txt')).toMatchObject({ status: 'deleted', removed: 7 });
    expect(byPath.get('src/lib/util.ts')).toMatchObject({ status: 'deleted', removed: 12 });
    expect(byPath.get('docs/readme.md')).toMatchObject({ status: 'modified', added: 1, removed: 0 });
    expect(byPath.get('src/feature/deep/new.ts')).toMatchObject({ status: 'added', added: 4 });
    expect(byPath.has('debug.log')).toBe(false);

    // Snapshot commits: fixed identity, chained pre → post, on no branch.
    expect(git(repo, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', post.sha]).trim()).toBe(
      `${SNAPSHOT_AUTHOR.name} <${SNAPSHOT_AUTHOR.email}>|${SNAPSHOT_AUTHOR.name} <${SNAPSHOT_AUTHOR.email}>`,
    );
    expect(git(repo, ['rev-parse', `${post.sha}^`]).trim()).toBe(pre.sha);
    expect(git(repo, ['branch', '--all', '--contains', post.sha]).trim()).toBe('');

    // A second turn with no change: an empty stat.
    const pre1 = await manager.checkpoint(ws, 1, 'pre');
    expect(pre1.tree).toBe(post.tree);
    expect(await manager.diffStat(ws, post.sha, pre1.sha)).toEqual({ files: [], added: 0, removed: 0 });
    expect((await manager.listCheckpoints(ws)).map((c) => `${c.turnIndex}-${c.phase}`)).toEqual([
      '0-pre',
      '0-post',
      '1-pre',
    ]);

    // The user's repository: index, HEAD, branches (besides the goal's), stash all as they were.
    expect(userGitState(repo, { ignoreBranchPrefix: 'overseer/' })).toEqual(before);
    // The worktree's own index and HEAD were not used for snapshots either.
    expect(git(ws.path, ['rev-parse', 'HEAD']).trim()).toBe(ws.baseCommit);
    expect(git(ws.path, ['diff', '--cached', '--name-only']).trim()).toBe('');

    const deleted = await manager.deleteWorkspace(ws);
    expect(deleted.branch).toMatchObject({ deleted: true });
    expect(userGitState(repo)).toEqual(before);
  });

  it('counts a rename across folders and a large rewrite the way git does', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a/one.txt': lines(200, 'one'), 'keep.txt': lines(3, 'keep') });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    renameSync(join(ws.path, 'a'), join(ws.path, 'b'));
    writeFile(ws.path, 'keep.txt', lines(300, 'rewritten'));
    const post = await manager.checkpoint(ws, 0, 'post');
    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    expect([...stat.files].sort((x, y) => x.path.localeCompare(y.path))).toEqual(expectedDiff(repo, pre.sha, post.sha));
    expect(stat.files.find((file) => file.path === 'b/one.txt')).toMatchObject({
      status: 'renamed',
      oldPath: 'a/one.txt',
    });
    expect(stat.added).toBe(300);
    expect(stat.removed).toBe(3);
  });

  it('rejects revisions that are not hex and shas git does not know', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'f.txt': 'f\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    await expect(manager.diffStat(ws, '--output=/tmp/x', pre.sha)).rejects.toMatchObject({ code: 'invalid_revision' });
    await expect(manager.diffStat(ws, pre.sha, 'HEAD')).rejects.toMatchObject({ code: 'invalid_revision' });
    await expect(manager.diffStat(ws, pre.sha, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef')).rejects.toMatchObject({
      code: 'invalid_revision',
    });
    await expect(manager.checkpoint(ws, -1, 'pre')).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('rebuilds the private index when a killed process left it locked', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'f.txt': 'f\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);
    await manager.checkpoint(ws, 0, 'pre');
    const gitDir = git(ws.path, ['rev-parse', '--absolute-git-dir']).trim();
    writeFile(gitDir, `overseer/${goal.id}.index.lock`, 'stale');
    writeFile(ws.path, 'g.txt', 'g\n');
    const post = await manager.checkpoint(ws, 0, 'post');
    expect(post.tree).toBe(independentTree(ws.path));
  });
});
