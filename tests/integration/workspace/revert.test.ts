// Reverting one file or one hunk of a turn's change (or the goal's whole change) with real git in a
// fixture repository: the working tree file is checked on disk after each revert; a patch that no
// longer applies is refused and nothing changes; an added file is removed, a deleted one comes back.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager, isWorkspaceError } from '../../../src/main/workspace/index.js';
import { hunkPatch, splitHunks } from '../../../src/main/workspace/revert.js';
import { git, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

const numbered = (from: number, to: number, mark = (n: number) => `line ${n}`): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `${mark(from + i)}\n`).join('');

const ORIGINAL = numbered(1, 40);
// Two hunks far apart: line 3 changed, line 35 changed.
const EDITED = ORIGINAL.replace('line 3\n', 'line three\n').replace('line 35\n', 'line thirty-five\n');

async function turnFixture() {
  const repo = makeRepo(sandbox, 'repo', { 'src/a.ts': ORIGINAL, 'src/gone.ts': 'export const gone = 1;\n' });
  const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
  const ws = await manager.ensure(makeGoal(repo));
  const pre = await manager.checkpoint(ws, 0, 'pre');
  writeFile(ws.path, 'src/a.ts', EDITED);
  writeFile(ws.path, 'src/new.ts', 'export const fresh = true;\n');
  rmSync(join(ws.path, 'src/gone.ts'));
  const post = await manager.checkpoint(ws, 0, 'post');
  const read = (path: string) => readFileSync(join(ws.path, path), 'utf8');
  return { manager, ws, pre, post, read };
}

describe('splitHunks', () => {
  it('keeps the headers apart and each hunk whole, "no newline" markers included', () => {
    const patch =
      'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n@@ -9 +9 @@\n-c\n\\ No newline at end of file\n+d\n';
    const split = splitHunks(patch);
    expect(split.header).toBe('diff --git a/x b/x\n--- a/x\n+++ b/x\n');
    expect(split.hunks).toEqual(['@@ -1 +1 @@\n-a\n+b\n', '@@ -9 +9 @@\n-c\n\\ No newline at end of file\n+d\n']);
    expect(hunkPatch(patch, 2).patch).toBe(`${split.header}${split.hunks[1]}`);
    expect(() => hunkPatch(patch, 3)).toThrow(/no hunk 3: the file’s change has 2 hunk/);
  });
});

describe('revert', () => {
  it('reverts one hunk of a turn, leaving the other hunk and other files alone', async () => {
    const { manager, ws, pre, post, read } = await turnFixture();
    const result = await manager.revert(ws, pre.sha, post.sha, { path: 'src/a.ts', hunk: 2 });
    expect(result.hunks).toBe(2);
    expect(read('src/a.ts')).toBe(ORIGINAL.replace('line 3\n', 'line three\n'));
    expect(existsSync(join(ws.path, 'src/new.ts'))).toBe(true);
    expect(existsSync(join(ws.path, 'src/gone.ts'))).toBe(false);
  });

  it('reverts a whole file to its content before the change', async () => {
    const { manager, ws, pre, post, read } = await turnFixture();
    await manager.revert(ws, pre.sha, post.sha, { path: 'src/a.ts', hunk: null });
    expect(read('src/a.ts')).toBe(ORIGINAL);
  });

  it('removes a file the change added, and brings back a file it deleted', async () => {
    const { manager, ws, pre, post, read } = await turnFixture();
    await manager.revert(ws, pre.sha, post.sha, { path: 'src/new.ts', hunk: null });
    expect(existsSync(join(ws.path, 'src/new.ts'))).toBe(false);
    await manager.revert(ws, pre.sha, post.sha, { path: 'src/gone.ts', hunk: null });
    expect(read('src/gone.ts')).toBe('export const gone = 1;\n');
    // The worktree's HEAD and the user's index are untouched: git sees only the remaining edit.
    expect(git(ws.path, ['status', '--porcelain']).trim()).toBe('M src/a.ts');
  });

  it('refuses a hunk that no longer applies and changes nothing', async () => {
    const { manager, ws, pre, post, read } = await turnFixture();
    const changedSince = EDITED.replace('line thirty-five\n', 'line 35, edited again\n');
    writeFile(ws.path, 'src/a.ts', changedSince);
    const error = await manager.revert(ws, pre.sha, post.sha, { path: 'src/a.ts', hunk: 2 }).catch((e: unknown) => e);
    expect(isWorkspaceError(error, 'revert_conflict')).toBe(true);
    expect((error as Error).message).toMatch(/hunk 2 of src\/a\.ts no longer matches the working tree/);
    expect(read('src/a.ts')).toBe(changedSince);
    // The first hunk still applies.
    await manager.revert(ws, pre.sha, post.sha, { path: 'src/a.ts', hunk: 1 });
    expect(read('src/a.ts')).toBe(changedSince.replace('line three\n', 'line 3\n'));
  });

  it('reverts a hunk of the goal’s whole change (base to the working tree now)', async () => {
    const { manager, ws, read } = await turnFixture();
    const cumulative = await manager.cumulativeDiff(ws);
    await manager.revert(ws, cumulative.baseCommit, null, { path: 'src/a.ts', hunk: 1 });
    expect(read('src/a.ts')).toBe(ORIGINAL.replace('line 35\n', 'line thirty-five\n'));
  });

  it('says so for a file outside the change or a hunk that does not exist', async () => {
    const { manager, ws, pre, post } = await turnFixture();
    await expect(manager.revert(ws, pre.sha, post.sha, { path: 'src/none.ts', hunk: null })).rejects.toThrow(
      /src\/none\.ts is not part of this change/,
    );
    await expect(manager.revert(ws, pre.sha, post.sha, { path: 'src/a.ts', hunk: 3 })).rejects.toThrow(/no hunk 3/);
  });
});
