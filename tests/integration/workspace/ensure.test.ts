// ensure(): worktree and in-place workspaces, reattach (a second ensure, a new manager, a deleted
// worktree folder), the clear errors (not a repository, missing folder, bare, no commits, branch in
// the way, folder in the way), no-git mode; and deleteWorkspace keeping a branch with user commits.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager, NO_GIT_METADATA_KEY, WorkspaceError } from '../../../src/main/workspace/index.js';
import { git, independentTree, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
let manager: GitWorkspaceManager;
beforeEach(() => {
  sandbox = makeSandbox();
  manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
});
afterEach(() => {
  sandbox.cleanup();
});

describe('ensure: worktree mode', () => {
  it('creates <worktreesDir>/<goal id> on overseer/<short id> from HEAD and records the base', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    writeFile(repo, 'b.txt', 'b\n');
    git(repo, ['add', 'b.txt']);
    git(repo, ['commit', '-q', '-m', 'second']);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);
    const worktreeDir = join(sandbox.worktreesDir, goal.id);
    expect(ws).toEqual({
      goalId: goal.id,
      path: worktreeDir,
      repoPath: repo,
      kind: 'worktree',
      branch: `overseer/${goal.id.slice(0, 8)}`,
      baseCommit: head,
    });
    expect(git(ws.path, ['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(git(ws.path, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe(ws.branch);
    expect(git(repo, ['rev-parse', `refs/overseer/${goal.id}/base`]).trim()).toBe(head);
    expect(readFileSync(join(ws.path, 'b.txt'), 'utf8')).toBe('b\n');
    expect(git(repo, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe('main');
  });

  it('reattaches: a second ensure, and a new manager after a restart, reopen the same worktree', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const goal = makeGoal(repo);
    const first = await manager.ensure(goal);
    writeFile(first.path, 'work-in-progress.txt', 'keep me\n');
    const pre = await manager.checkpoint(first, 0, 'pre');
    // The user's repository moves on: the goal keeps its base.
    writeFile(repo, 'later.txt', 'later\n');
    git(repo, ['add', 'later.txt']);
    git(repo, ['commit', '-q', '-m', 'later']);

    const second = await manager.ensure(goal);
    expect(second).toEqual(first);
    const restarted = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const third = await restarted.ensure(goal);
    expect(third).toEqual(first);
    expect(readFileSync(join(third.path, 'work-in-progress.txt'), 'utf8')).toBe('keep me\n');
    expect(await restarted.listCheckpoints(third)).toEqual([
      { ref: pre.ref, sha: pre.sha, turnIndex: 0, phase: 'pre' },
    ]);
  });

  it('re-adds the worktree from its branch when its folder was deleted', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);
    writeFile(ws.path, 'committed-by-claude.txt', 'c\n');
    git(ws.path, ['add', 'committed-by-claude.txt']);
    git(ws.path, ['commit', '-q', '-m', 'claude commit']);
    const tip = git(ws.path, ['rev-parse', 'HEAD']).trim();
    rmSync(ws.path, { recursive: true, force: true });

    const again = await manager.ensure(goal);
    expect(again).toEqual(ws);
    expect(git(again.path, ['rev-parse', 'HEAD']).trim()).toBe(tip);
    expect(existsSync(join(again.path, 'committed-by-claude.txt'))).toBe(true);
  });

  it('works from a subfolder of the repository: Claude runs in the same subfolder of the worktree', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'packages/app/index.js': 'x\n', 'root.txt': 'r\n' });
    const goal = makeGoal(join(repo, 'packages', 'app'));
    const ws = await manager.ensure(goal);
    expect(ws.repoPath).toBe(repo);
    expect(ws.path).toBe(join(sandbox.worktreesDir, goal.id, 'packages', 'app'));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(join(sandbox.worktreesDir, goal.id), 'root.txt', 'changed at the top\n');
    writeFile(ws.path, 'new.js', 'n\n');
    const post = await manager.checkpoint(ws, 0, 'post');
    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    expect(stat.files.map((file) => file.path).sort()).toEqual(['packages/app/new.js', 'root.txt']);
  });

  it('refuses a repository without commits, and a branch or folder already in the way', async () => {
    const empty = makeRepo(sandbox, 'empty', null);
    await expect(manager.ensure(makeGoal(empty))).rejects.toMatchObject({ code: 'empty_repository' });

    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const goal = makeGoal(repo);
    git(repo, ['branch', `overseer/${goal.id.slice(0, 8)}`]);
    await expect(manager.ensure(goal)).rejects.toMatchObject({ code: 'branch_exists' });
    expect(git(repo, ['for-each-ref', 'refs/overseer']).trim()).toBe('');

    const other = makeGoal(repo);
    writeFile(join(sandbox.worktreesDir, other.id), 'stray.txt', 'not a worktree\n');
    await expect(manager.ensure(other)).rejects.toMatchObject({ code: 'worktree_conflict' });
  });
});

describe('ensure: in place, no git, errors', () => {
  it('in place: the repository itself, its current branch, HEAD as base', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const goal = makeGoal(repo, { inPlace: true });
    const ws = await manager.ensure(goal);
    expect(ws).toEqual({
      goalId: goal.id,
      path: repo,
      repoPath: repo,
      kind: 'in_place',
      branch: 'main',
      baseCommit: git(repo, ['rev-parse', 'HEAD']).trim(),
    });
    expect(existsSync(join(sandbox.worktreesDir, goal.id))).toBe(false);
    expect(await manager.ensure(goal)).toEqual(ws);
  });

  it('in place in a repository without commits: the base is an empty tree, every file counts as added', async () => {
    const repo = makeRepo(sandbox, 'empty', null);
    writeFile(repo, 'first.txt', 'one\ntwo\n');
    const ws = await manager.ensure(makeGoal(repo, { inPlace: true }));
    expect(ws.branch).toBe('main');
    const base = ws.baseCommit ?? 'missing';
    expect(git(repo, ['rev-parse', `${base}^{tree}`]).trim()).toBe(
      git(repo, ['hash-object', '-t', 'tree', '/dev/null']).trim(),
    );
    const diff = await manager.cumulativeDiff(ws);
    expect(diff.stat).toEqual({
      files: [{ path: 'first.txt', oldPath: null, status: 'added', added: 2, removed: 0, binary: false }],
      added: 2,
      removed: 0,
    });
    expect(diff.tree).toBe(independentTree(repo));
    expect(() => git(repo, ['rev-parse', '--verify', '-q', 'HEAD'])).toThrow(); // still no commit of the user's
  });

  it('gives typed errors for a folder that is not a repository, is missing, is a file, or is bare', async () => {
    const plain = join(sandbox.root, 'plain');
    mkdirSync(plain);
    const notRepo = manager.ensure(makeGoal(plain));
    await expect(notRepo).rejects.toBeInstanceOf(WorkspaceError);
    await expect(notRepo).rejects.toMatchObject({
      code: 'not_a_repository',
      message: expect.stringContaining('no-git mode'),
    });
    await expect(manager.ensure(makeGoal(join(sandbox.root, 'nowhere')))).rejects.toMatchObject({
      code: 'repo_missing',
    });
    writeFile(sandbox.root, 'file.txt', 'x');
    await expect(manager.ensure(makeGoal(join(sandbox.root, 'file.txt')))).rejects.toMatchObject({
      code: 'not_a_directory',
    });
    const bare = join(sandbox.root, 'bare.git');
    git(sandbox.root, ['init', '-q', '--bare', bare]);
    await expect(manager.ensure(makeGoal(bare))).rejects.toMatchObject({ code: 'bare_repository' });
  });

  it('no-git mode (metadata.noGit): the folder as is, no checkpoints or diffs', async () => {
    const plain = join(sandbox.root, 'plain');
    mkdirSync(plain);
    const goal = makeGoal(plain, { metadata: { [NO_GIT_METADATA_KEY]: true } });
    const ws = await manager.ensure(goal);
    expect(ws).toEqual({
      goalId: goal.id,
      path: plain,
      repoPath: plain,
      kind: 'no_git',
      branch: null,
      baseCommit: null,
    });
    await expect(manager.checkpoint(ws, 0, 'pre')).rejects.toMatchObject({ code: 'no_git' });
    await expect(manager.cumulativeDiff(ws)).rejects.toMatchObject({ code: 'no_git' });
    expect(await manager.listCheckpoints(ws)).toEqual([]);
    expect((await manager.deleteWorkspace(ws)).summary).toEqual([`no-git workspace: ${plain} left as it is`]);
    expect(existsSync(plain)).toBe(true);
  });
});

describe('deleteWorkspace', () => {
  it('keeps the branch when it carries the user commits, and says so', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);
    await manager.checkpoint(ws, 0, 'pre');
    for (const name of ['one', 'two']) {
      writeFile(ws.path, `${name}.txt`, `${name}\n`);
      git(ws.path, ['add', '-A']);
      git(ws.path, ['commit', '-q', '-m', name]);
    }
    await manager.checkpoint(ws, 0, 'post');
    const result = await manager.deleteWorkspace(ws);
    const branch = `overseer/${goal.id.slice(0, 8)}`;
    expect(result.branch).toEqual({ name: branch, deleted: false, userCommits: 2, reason: 'kept: 2 commits' });
    expect(result.summary).toContain(`branch ${branch} kept: 2 commits`);
    expect(result.worktree).toEqual({ path: join(sandbox.worktreesDir, goal.id), removed: true });
    expect(result.refsDeleted).toBe(3);
    expect(existsSync(ws.path)).toBe(false);
    expect(git(repo, ['for-each-ref', `refs/overseer/${goal.id}`]).trim()).toBe('');
    expect(git(repo, ['log', '--format=%s', branch]).trim().split('\n')).toEqual(['two', 'one', 'initial']);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain(goal.id);
  });

  it('deletes an untouched branch unless asked to keep it', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const kept = makeGoal(repo);
    const keptWs = await manager.ensure(kept);
    const keptResult = await manager.deleteWorkspace(keptWs, { keepBranch: true });
    expect(keptResult.branch).toMatchObject({ deleted: false, userCommits: 0 });
    expect(git(repo, ['branch', '--list', `overseer/${kept.id.slice(0, 8)}`]).trim()).not.toBe('');

    const gone = makeGoal(repo);
    const goneWs = await manager.ensure(gone);
    writeFile(goneWs.path, 'uncommitted.txt', 'dropped with the worktree\n');
    const goneResult = await manager.deleteWorkspace(goneWs);
    expect(goneResult.branch).toMatchObject({ deleted: true, userCommits: 0 });
    expect(git(repo, ['branch', '--list', `overseer/${gone.id.slice(0, 8)}`]).trim()).toBe('');
    // Deleting twice is harmless.
    const twice = await manager.deleteWorkspace(goneWs);
    expect(twice).toMatchObject({ branch: null, refsDeleted: 0, worktree: { removed: true } });
  });
});
