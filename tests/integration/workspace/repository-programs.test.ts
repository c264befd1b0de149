// Overseer's own git calls never run a program the repository configured: a `post-checkout` hook
// (git runs it on `worktree add`) and a `core.fsmonitor` command (git runs it on every index
// refresh, e.g. the `add -A` of a snapshot) each write a marker file when run. Creating a goal
// worktree, checkpointing, diffing, rolling back and deleting must leave no marker. A control
// step runs plain git in the same repository to prove the hook and the fsmonitor do fire.
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

interface Markers {
  hook: string;
  fsmonitor: string;
}

/** Installs a post-checkout hook and a core.fsmonitor command, each touching its own marker file. */
function armRepository(repo: string): Markers {
  const markers = { hook: join(sandbox.root, 'hook-ran'), fsmonitor: join(sandbox.root, 'fsmonitor-ran') };
  const hook = join(repo, '.git', 'hooks', 'post-checkout');
  writeFile(repo, '.git/hooks/post-checkout', `#!/bin/sh\ntouch '${markers.hook}'\n`);
  chmodSync(hook, 0o755);
  const monitor = join(sandbox.root, 'fsmonitor.sh');
  writeFile(sandbox.root, 'fsmonitor.sh', `#!/bin/sh\ntouch '${markers.fsmonitor}'\nexit 1\n`);
  chmodSync(monitor, 0o755);
  git(repo, ['config', 'core.fsmonitor', monitor]);
  return markers;
}

describe('repository-configured programs', () => {
  it('the hook and the fsmonitor fire for plain git (control)', () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const markers = armRepository(repo);
    writeFile(repo, 'b.txt', 'b\n');
    git(repo, ['add', '-A']);
    expect(existsSync(markers.fsmonitor)).toBe(true);
    git(repo, ['worktree', 'add', '-q', '-b', 'control', join(sandbox.root, 'control-wt')]);
    expect(existsSync(markers.hook)).toBe(true);
  });

  it('never run for worktree creation, checkpoints, diffs, rollback or deletion', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const markers = armRepository(repo);
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo);

    const ws = await manager.ensure(goal);
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'a changed\n');
    writeFile(ws.path, 'new/file.txt', 'new\n');
    const post = await manager.checkpoint(ws, 0, 'post');
    const stat = await manager.diffStat(ws, pre.sha, post.sha);
    expect(stat.files.map((file) => file.path).sort()).toEqual(['a.txt', 'new/file.txt']);
    await manager.rollback(ws, pre.sha);
    // Reopening after the folder went away re-adds the worktree (another checkout).
    rmSync(ws.path, { recursive: true, force: true });
    git(repo, ['worktree', 'prune']);
    const reopened = await manager.ensure(goal);
    await manager.checkpoint(reopened, 1, 'pre');
    await manager.cumulativeDiff(reopened);
    await manager.deleteWorkspace(reopened);

    expect({ hook: existsSync(markers.hook), fsmonitor: existsSync(markers.fsmonitor) }).toEqual({
      hook: false,
      fsmonitor: false,
    });
  });

  it('also in place: a checkpoint of the repository itself runs no fsmonitor', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const markers = armRepository(repo);
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo, { inPlace: true }));
    writeFile(repo, 'a.txt', 'edited\n');
    await manager.checkpoint(ws, 0, 'post');
    expect(existsSync(markers.fsmonitor)).toBe(false);
  });
});
