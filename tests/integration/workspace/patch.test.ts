// Patches on demand: each file's section of turnPatch, and filePatch, equal what plain `git diff`
// prints for that file between the same snapshots (renames, type changes, binary files, odd names
// included); the per-file cap cuts at a line end and says so; cumulativeDiff covers several turns.
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import {
  expectedDiff,
  git,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
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

const lines = (count: number, tag: string): string => Array.from({ length: count }, (_, i) => `${tag} ${i}\n`).join('');

/** What plain git prints for these paths between two revisions. */
function plainPatch(repo: string, from: string, to: string, paths: string[]): string {
  return git(repo, [
    '-c',
    'core.quotePath=false',
    'diff',
    '-M',
    from,
    to,
    '--',
    ...paths.map((path) => `:(literal)${path}`),
  ]);
}

describe('patches', () => {
  it('splits the turn patch per file exactly as git prints each file', async () => {
    const repo = makeRepo(sandbox, 'repo', {
      'edit.txt': lines(20, 'edit'),
      'gone.txt': lines(3, 'gone'),
      'from.txt': lines(30, 'moving'),
      'type.txt': 'becomes a link\n',
      'pic.bin': Buffer.from([0, 1, 2, 3]),
      'has "quotes" and \\ back.txt': 'q\n',
      'tab\there.txt': 't\n',
      'ünï code.txt': 'u\n',
    });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'edit.txt', lines(20, 'edit').replace('edit 10\n', 'edited 10\n'));
    rmSync(join(ws.path, 'gone.txt'));
    writeFile(ws.path, 'to.txt', lines(30, 'moving') + 'one more\n');
    rmSync(join(ws.path, 'from.txt'));
    rmSync(join(ws.path, 'type.txt'));
    symlinkSync('edit.txt', join(ws.path, 'type.txt'));
    writeFile(ws.path, 'pic.bin', Buffer.from([0, 9, 9, 9]));
    writeFile(ws.path, 'has "quotes" and \\ back.txt', 'q2\n');
    writeFile(ws.path, 'tab\there.txt', 't2\n');
    writeFile(ws.path, 'ünï code.txt', 'u2\n');
    writeFile(ws.path, 'new\nline.txt', 'newline in the name\n');
    writeFile(ws.path, 'empty-new.txt', '');
    const post = await manager.checkpoint(ws, 0, 'post');

    const turn = await manager.turnPatch(ws, pre.sha, post.sha);
    expect(turn.truncatedFiles).toBe(0);
    expect(
      turn.files
        .map(({ path, oldPath, status, added, removed, binary }) => ({ path, oldPath, status, added, removed, binary }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual(expectedDiff(repo, pre.sha, post.sha));
    expect(turn.files).toHaveLength(10);
    for (const file of turn.files) {
      const paths = file.oldPath === null ? [file.path] : [file.oldPath, file.path];
      expect(file.patch).toBe(plainPatch(repo, pre.sha, post.sha, paths));
      expect(file.truncated).toBe(false);
      expect(file.originalBytes).toBe(Buffer.byteLength(file.patch));
    }
    // The whole turn patch is the files' patches one after the other.
    expect(turn.files.map((file) => file.patch).join('')).toBe(
      git(repo, ['-c', 'core.quotePath=false', 'diff', '-M', pre.sha, post.sha]),
    );
    const typeChange = turn.files.find((file) => file.path === 'type.txt');
    expect(typeChange?.status).toBe('type_changed');
    expect(typeChange?.patch.match(/^diff --git /gm)).toHaveLength(2);

    const renamed = await manager.filePatch(ws, pre.sha, post.sha, 'from.txt');
    expect(renamed).toMatchObject({ path: 'to.txt', oldPath: 'from.txt', status: 'renamed', added: 1, removed: 0 });
    expect(renamed?.patch).toBe(plainPatch(repo, pre.sha, post.sha, ['from.txt', 'to.txt']));
    expect((await manager.filePatch(ws, pre.sha, post.sha, 'to.txt'))?.patch).toBe(renamed?.patch);
    expect((await manager.filePatch(ws, pre.sha, post.sha, 'pic.bin'))?.patch).toContain(
      'Binary files a/pic.bin and b/pic.bin differ',
    );
    expect((await manager.filePatch(ws, pre.sha, post.sha, 'new\nline.txt'))?.patch).toBe(
      plainPatch(repo, pre.sha, post.sha, ['new\nline.txt']),
    );
    expect(await manager.filePatch(ws, pre.sha, post.sha, 'not-changed-at-all.txt')).toBeNull();
  });

  it('cuts a patch over the cap at a line end and reports the original size', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'big.txt': lines(2000, 'old'), 'small.txt': 's\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'big.txt', lines(2000, 'new'));
    writeFile(ws.path, 'small.txt', 's2\n');
    const post = await manager.checkpoint(ws, 0, 'post');
    const full = plainPatch(repo, pre.sha, post.sha, ['big.txt']);

    const turn = await manager.turnPatch(ws, pre.sha, post.sha, { maxBytesPerFile: 1000 });
    expect(turn.truncatedFiles).toBe(1);
    const big = turn.files.find((file) => file.path === 'big.txt');
    expect(big?.truncated).toBe(true);
    expect(big?.originalBytes).toBe(Buffer.byteLength(full));
    expect(Buffer.byteLength(big?.patch ?? '')).toBeLessThanOrEqual(1000);
    expect(big?.patch.endsWith('\n')).toBe(true);
    expect(full.startsWith(big?.patch ?? 'x')).toBe(true);
    expect(turn.files.find((file) => file.path === 'small.txt')).toMatchObject({ truncated: false });

    const one = await manager.filePatch(ws, pre.sha, post.sha, 'big.txt', { maxBytes: 5000 });
    expect(one).toMatchObject({ truncated: true, originalBytes: Buffer.byteLength(full) });
    expect(full.startsWith(one?.patch ?? 'x')).toBe(true);
    expect((await manager.filePatch(ws, pre.sha, post.sha, 'big.txt'))?.patch).toBe(full);
    await expect(manager.turnPatch(ws, pre.sha, post.sha, { maxBytesPerFile: -1 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('gives the cumulative diff from the base across several turns', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': lines(5, 'a'), 'b.txt': lines(5, 'b') });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', lines(6, 'a'));
    await manager.checkpoint(ws, 0, 'post');
    await manager.checkpoint(ws, 1, 'pre');
    rmSync(join(ws.path, 'b.txt'));
    writeFile(ws.path, 'c/d.txt', 'd\n');
    await manager.checkpoint(ws, 1, 'post');
    writeFile(ws.path, 'uncheckpointed.txt', 'after the last checkpoint\n');

    const cumulative = await manager.cumulativeDiff(ws);
    expect(cumulative.baseCommit).toBe(ws.baseCommit);
    expect(cumulative.tree).toBe(independentTree(ws.path));
    const expected = expectedDiff(repo, cumulative.baseCommit, cumulative.tree);
    expect([...cumulative.stat.files].sort((x, y) => x.path.localeCompare(y.path))).toEqual(expected);
    expect(cumulative.stat.files.map((file) => file.path).sort()).toEqual([
      'a.txt',
      'b.txt',
      'c/d.txt',
      'uncheckpointed.txt',
    ]);
    const patch = await manager.turnPatch(ws, cumulative.baseCommit, cumulative.tree);
    expect(patch.files).toHaveLength(4);
  });
});
