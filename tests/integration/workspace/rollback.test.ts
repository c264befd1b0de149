// Rollback restores a snapshot's tree exactly (checked by an independent re-hash of the working
// tree with plain git): files created after it are gone, deleted ones back, modified ones restored,
// ignored files left alone; in place, the user's index/HEAD/branches/stash stay as they were.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import {
  filesOnDisk,
  git,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
  treeOf,
  userGitState,
  writeFile,
  type Sandbox,
} from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

const FILES = {
  '.gitignore': '*.log\ncache/\n',
  'src/main.c': 'int main() { return 0; }\n',
  'src/util/helpers.c': 'void help(void) {}\n',
  'README.md': '# fixture\n',
  'assets/logo.bin': Buffer.from([137, 80, 78, 71, 0, 0, 1]),
};

function messUp(dir: string): void {
  writeFile(dir, 'src/main.c', 'int main() { return 1; }\n');
  rmSync(join(dir, 'README.md'));
  rmSync(join(dir, 'src/util'), { recursive: true });
  writeFile(dir, 'src/util', 'a file where a folder was\n');
  writeFile(dir, 'brand/new/deep/file.txt', 'new\n');
  writeFile(dir, 'assets/logo.bin', Buffer.from([1, 2, 3]));
  writeFile(dir, 'run.log', 'ignored, written during the turn\n');
  writeFile(dir, 'cache/blob', 'ignored folder\n');
  execFileSync('sh', ['-c', 'echo shell > made-by-shell.txt && chmod +x made-by-shell.txt'], { cwd: dir });
  symlinkSync('src/main.c', join(dir, 'link-to-main'));
}

describe('rollback', () => {
  it('restores the exact tree of a checkpoint in a worktree, and can roll forward again', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    writeFile(ws.path, 'before.log', 'ignored, there before the turn\n');
    const pre = await manager.checkpoint(ws, 0, 'pre');
    const filesBefore = filesOnDisk(ws.path);
    messUp(ws.path);
    const post = await manager.checkpoint(ws, 0, 'post');
    expect(post.tree).not.toBe(pre.tree);

    const result = await manager.rollbackDetailed(ws, pre.sha);
    expect(independentTree(ws.path)).toBe(treeOf(repo, pre.sha));
    expect(result.tree).toBe(treeOf(repo, pre.sha));
    expect(result.previousTree).toBe(post.tree);
    expect(result.changes.files.length).toBeGreaterThan(0);
    // Created files and folders are gone, the deleted file and the folder are back, ignored files stay.
    expect(existsSync(join(ws.path, 'brand'))).toBe(false);
    expect(existsSync(join(ws.path, 'made-by-shell.txt'))).toBe(false);
    expect(existsSync(join(ws.path, 'link-to-main'))).toBe(false);
    expect(readFileSync(join(ws.path, 'README.md'), 'utf8')).toBe('# fixture\n');
    expect(readFileSync(join(ws.path, 'src/util/helpers.c'), 'utf8')).toBe('void help(void) {}\n');
    expect(readFileSync(join(ws.path, 'assets/logo.bin'))).toEqual(FILES['assets/logo.bin']);
    expect(readFileSync(join(ws.path, 'run.log'), 'utf8')).toBe('ignored, written during the turn\n');
    expect(readFileSync(join(ws.path, 'cache/blob'), 'utf8')).toBe('ignored folder\n');
    expect(filesOnDisk(ws.path)).toEqual([...filesBefore, 'cache/blob', 'run.log'].sort());

    // Roll forward to the post snapshot.
    await manager.rollback(ws, post.sha);
    expect(independentTree(ws.path)).toBe(treeOf(repo, post.sha));
    expect(readFileSync(join(ws.path, 'src/util'), 'utf8')).toBe('a file where a folder was\n');

    // The worktree's HEAD and index were never used.
    expect(git(ws.path, ['rev-parse', 'HEAD']).trim()).toBe(ws.baseCommit);
    expect(git(ws.path, ['diff', '--cached', '--name-only']).trim()).toBe('');
  });

  it('accepts the base commit and a tree id as targets', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    messUp(ws.path);
    const post = await manager.checkpoint(ws, 0, 'post');
    await manager.rollback(ws, ws.baseCommit ?? 'missing');
    expect(independentTree(ws.path)).toBe(treeOf(repo, 'HEAD'));
    await manager.rollback(ws, post.tree);
    expect(independentTree(ws.path)).toBe(post.tree);
    const same = await manager.rollbackDetailed(ws, post.sha);
    expect(same.changes.files).toEqual([]);
    await expect(manager.rollback(ws, 'feedfacefeedfacefeedfacefeedfacefeedface')).rejects.toMatchObject({
      code: 'invalid_revision',
    });
  });

  it('works in place without touching the user index, HEAD, branches or stash', async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    writeFile(repo, 'README.md', '# stashed edit\n');
    git(repo, ['stash', 'push', '-q']);
    writeFile(repo, 'src/main.c', 'int main() { return 42; }\n');
    git(repo, ['add', 'src/main.c']); // staged by the user
    writeFile(repo, 'README.md', '# unstaged user edit\n');
    writeFile(repo, 'untracked-user-notes.txt', 'mine\n');
    const before = userGitState(repo);

    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo, { inPlace: true });
    const ws = await manager.ensure(goal);
    expect(ws).toMatchObject({ kind: 'in_place', branch: 'main', baseCommit: before.head });
    const pre = await manager.checkpoint(ws, 0, 'pre');
    // The snapshot holds the working tree as it is, the user's uncommitted work included.
    expect(pre.tree).toBe(independentTree(repo));
    expect(git(repo, ['show', `${pre.sha}:untracked-user-notes.txt`])).toBe('mine\n');

    messUp(repo);
    const post = await manager.checkpoint(ws, 0, 'post');
    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    expect(stat.files.map((file) => file.path)).toContain('made-by-shell.txt');
    expect(userGitState(repo)).toEqual(before);

    await manager.rollback(ws, pre.sha);
    expect(independentTree(repo)).toBe(pre.tree);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# unstaged user edit\n');
    expect(readFileSync(join(repo, 'untracked-user-notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(repo, 'run.log'))).toBe(true);
    expect(userGitState(repo)).toEqual(before);

    const removed = await manager.deleteWorkspace(ws);
    expect(removed).toMatchObject({ worktree: null, branch: null, refsDeleted: 3 });
    expect(git(repo, ['for-each-ref', 'refs/overseer']).trim()).toBe('');
    expect(userGitState(repo)).toEqual(before);
    expect(independentTree(repo)).toBe(pre.tree);
  });
});
