// The cheap paths of checkpoints: turn N+1's pre checkpoint reuses turn N's post commit when the
// working tree is unchanged (and makes a new one as soon as anything changed, a rollback included),
// and the diff a post checkpoint starts early is exactly what plain `git diff -M` reports, and is
// the one diffStat answers with (no second diff process).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import {
  expectedDiff,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
  treeOf,
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

describe('checkpoint reuse and early diff', () => {
  it('reuses the previous commit only while the working tree is unchanged', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));

    const pre0 = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'a edited\n');
    writeFile(ws.path, 'new/c.txt', 'c\n');
    const post0 = await manager.checkpoint(ws, 0, 'post');
    expect(post0.sha).not.toBe(pre0.sha);
    const stat = await manager.diffStat(ws, pre0.sha, post0.sha);
    expect(stat.files.map(({ path, added, removed, status }) => ({ path, added, removed, status }))).toEqual(
      expectedDiff(repo, pre0.sha, post0.sha).map(({ path, added, removed, status }) => ({
        path,
        added,
        removed,
        status,
      })),
    );

    // Nothing touched the tree: turn 1's pre is turn 0's post.
    const pre1 = await manager.checkpoint(ws, 1, 'pre');
    expect(pre1.sha).toBe(post0.sha);
    expect(pre1.tree).toBe(independentTree(ws.path));

    // A change between turns (an acceptance command writing a file): a new commit.
    writeFile(ws.path, 'b.txt', 'b changed between turns\n');
    const post1 = await manager.checkpoint(ws, 1, 'post');
    expect(post1.sha).not.toBe(pre1.sha);
    expect(treeOf(repo, post1.sha)).toBe(independentTree(ws.path));

    // A rollback to turn 0's pre: the next checkpoint holds the rolled-back tree, not post1's.
    await manager.rollback(ws, pre0.sha);
    const pre2 = await manager.checkpoint(ws, 2, 'pre');
    expect(pre2.sha).not.toBe(post1.sha);
    expect(pre2.tree).toBe(pre0.tree);

    const listed = await manager.listCheckpoints(ws);
    expect(listed.map((c) => `${c.turnIndex}-${c.phase}`)).toEqual(['0-pre', '0-post', '1-pre', '1-post', '2-pre']);
    expect(listed.find((c) => c.turnIndex === 1 && c.phase === 'pre')?.sha).toBe(post0.sha);
  });

  it('answers diffStat for other pairs, and after the tree changed, with a diff of its own', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'one\ntwo\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre0 = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'one\n');
    const post0 = await manager.checkpoint(ws, 0, 'post');
    writeFile(ws.path, 'a.txt', 'one\nthree\nfour\n');
    const post1 = await manager.checkpoint(ws, 1, 'post');
    expect(await manager.diffStat(ws, post0.sha, post1.sha)).toMatchObject({ added: 2, removed: 0 });
    expect(await manager.diffStat(ws, pre0.sha, post0.sha)).toMatchObject({ added: 0, removed: 1 });
    expect(await manager.diffStat(ws, pre0.sha, post1.sha)).toMatchObject({ added: 2, removed: 1 });
  });

  it("answers the turn's diffStat with the diff its post checkpoint started, through the private index", async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'one\ntwo\n', 'b.txt': 'b\n' });
    // git, with every call's arguments written to a log first.
    const log = join(sandbox.root, 'git-calls.log');
    const loggingGit = join(sandbox.root, 'logging-git');
    writeFileSync(loggingGit, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec git "$@"\n`, { mode: 0o755 });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir, gitBinary: loggingGit });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'one\nthree\n');
    writeFile(ws.path, 'c.txt', 'c\n');
    writeFileSync(log, '');
    const post = await manager.checkpoint(ws, 0, 'post');
    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    expect(stat).toMatchObject({ added: 2, removed: 1 });
    expect(stat.files.map(({ path, status }) => `${status} ${path}`)).toEqual(['modified a.txt', 'added c.txt']);
    const diffs = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => / diff /.test(` ${line} `));
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toContain(' diff --cached ');
    expect(diffs[0]?.endsWith(` ${pre.sha} --`)).toBe(true);
  });
});
