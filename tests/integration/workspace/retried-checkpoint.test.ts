// A retried turn takes its checkpoints again under the same turn index: the first attempt's
// snapshot (which the turns table still points at) must stay reachable and survive `git gc`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { git, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

describe('checkpoints of a retried turn', () => {
  it("keep the first attempt's snapshots reachable through git gc", async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'one\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);

    const firstPre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'first attempt\n');
    const firstPost = await manager.checkpoint(ws, 0, 'post');
    // The retry: rolled back, then new snapshots for the same turn.
    await manager.rollback(ws, firstPre.sha);
    writeFile(ws.path, 'b.txt', 'noise before the retry\n');
    const secondPre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'second attempt\n');
    const secondPost = await manager.checkpoint(ws, 0, 'post');
    expect(secondPre.sha).not.toBe(firstPre.sha);
    expect(secondPost.sha).not.toBe(firstPost.sha);
    expect(git(repo, ['rev-parse', secondPost.ref]).trim()).toBe(secondPost.sha);

    git(repo, ['reflog', 'expire', '--expire=now', '--all']);
    git(repo, ['gc', '--prune=now', '--quiet']);
    for (const sha of [firstPre.sha, firstPost.sha, secondPre.sha, secondPost.sha]) {
      expect(git(repo, ['cat-file', '-t', sha]).trim()).toBe('commit');
    }
    expect(git(repo, ['show', `${firstPost.sha}:a.txt`])).toBe('first attempt\n');
  });
});
