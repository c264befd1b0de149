// The cheap paths of checkpoints: turn N+1's pre checkpoint reuses turn N's post commit when the
// working tree is unchanged (and makes a new one as soon as anything changed, a rollback included),
// and the diff a post checkpoint starts early is exactly what plain `git diff -M` reports, and is
// the one diffStat answers with (no second diff process); a pre checkpoint prepares its post's
// `add -A`, which the post takes, and nothing is left waiting once the goal's workspace is gone.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GitRunner } from '../../../src/main/workspace/git.js';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { PREPARED_ADD_IDLE_MS, PreparedAdds } from '../../../src/main/workspace/prepared-add.js';
import {
  expectedDiff,
  git,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
  treeOf,
  writeFile,
  type Sandbox,
} from './fixture.js';

const execFileAsync = promisify(execFile);

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

  it("prepares the post checkpoint's add -A at the pre checkpoint, and leaves nothing waiting once the goal is gone", async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const log = join(sandbox.root, 'git-calls.log');
    const loggingGit = join(sandbox.root, 'logging-git');
    writeFileSync(loggingGit, `#!/bin/sh\nprintf '%s %s\\n' "$$" "$*" >> '${log}'\nexec git "$@"\n`, { mode: 0o755 });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir, gitBinary: loggingGit });
    const ws = await manager.ensure(makeGoal(repo));
    await manager.checkpoint(ws, 0, 'pre');
    await until(async () => (await gatesOf(loggingGit)).length === 1);
    writeFile(ws.path, 'a.txt', 'a edited\n');
    writeFile(ws.path, 'b.txt', 'b\n');
    writeFileSync(log, '');
    // The gate waiting since the pre checkpoint becomes the post's `add -A` (exec keeps its pid).
    const [gate] = await gatesOf(loggingGit);
    expect(gate).toBeDefined();
    const post = await manager.checkpoint(ws, 0, 'post');
    expect(await gatesOf(loggingGit)).toEqual([]);
    expect(post.tree).toBe(independentTree(ws.path));
    const adds = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.endsWith(' add --all'));
    expect(adds).toHaveLength(1);
    expect(adds[0]?.split(' ')[0]).toBe(gate?.trim().split(' ')[0]);

    await manager.checkpoint(ws, 1, 'pre');
    writeFileSync(log, '');
    await until(async () => (await gatesOf(loggingGit)).length === 1);
    await manager.deleteWorkspace(ws);
    // The cancelled add's shell exits without running git.
    await until(async () => (await gatesOf(loggingGit)).length === 0);
    expect(readFileSync(log, 'utf8')).not.toContain(' add --all');
  });
});

describe('a prepared git whose waiting process died', () => {
  it('runs git at its start all the same, whether or not the host has seen the process end', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const ownGit = join(sandbox.root, 'own-git');
    writeFileSync(ownGit, '#!/bin/sh\nexec git "$@"\n', { mode: 0o755 });
    const runner = new GitRunner({ gitBinary: ownGit });
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const refs = (): string => git(repo, ['for-each-ref', '--format=%(refname)', 'refs/heads/']);
    const gatePid = async (): Promise<number> => {
      await until(async () => (await gatesOf(ownGit)).length === 1);
      const [gate] = await gatesOf(ownGit);
      return Number(gate?.trim().split(' ')[0]);
    };

    // Killed, and its end seen by the host, before the start.
    const seen = runner.prepare({ cwd: repo, args: ['update-ref', 'refs/heads/after-seen-death', head] });
    process.kill(await gatePid(), 'SIGKILL');
    await until(async () => (await gatesOf(ownGit)).length === 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen.start();
    expect(await seen.result).toBe('');
    // Killed in the same tick as the start: the host cannot have seen it end.
    const unseen = runner.prepare({ cwd: repo, args: ['update-ref', 'refs/heads/after-unseen-death', head] });
    process.kill(await gatePid(), 'SIGKILL');
    unseen.start();
    expect(await unseen.result).toBe('');
    expect(refs()).toContain('refs/heads/after-seen-death');
    expect(refs()).toContain('refs/heads/after-unseen-death');
    // A killed one that is cancelled still never runs git.
    const dropped = runner.prepare({ cwd: repo, args: ['update-ref', 'refs/heads/dropped', head] });
    process.kill(await gatePid(), 'SIGKILL');
    await until(async () => (await gatesOf(ownGit)).length === 0);
    dropped.cancel();
    await expect(dropped.result).rejects.toMatchObject({ message: /cancelled before it ran/ });
    expect(refs()).not.toContain('refs/heads/dropped');
  });

  it('in a checkpoint: the post checkpoint still holds the working tree', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const ownGit = join(sandbox.root, 'own-git');
    writeFileSync(ownGit, '#!/bin/sh\nexec git "$@"\n', { mode: 0o755 });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir, gitBinary: ownGit });
    const ws = await manager.ensure(makeGoal(repo));
    await manager.checkpoint(ws, 0, 'pre');
    await until(async () => (await gatesOf(ownGit)).length === 1);
    const [gate] = await gatesOf(ownGit);
    const pid = Number(gate?.trim().split(' ')[0]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await until(async () => (await gatesOf(ownGit)).length === 0);
    writeFile(ws.path, 'a.txt', 'a edited\n');
    const post = await manager.checkpoint(ws, 0, 'post');
    expect(post.tree).toBe(independentTree(ws.path));
    expect(await manager.diffStat(ws, (await manager.listCheckpoints(ws))[0]?.sha ?? '', post.sha)).toMatchObject({
      added: 1,
      removed: 1,
    });
  });
});

describe('PreparedAdds', () => {
  it('cancels an add that waited too long, and one a snapshot of another index would take', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    // git under a name of this test's own, to tell its waiting gates from other tests'.
    const ownGit = join(sandbox.root, 'own-git');
    writeFileSync(ownGit, '#!/bin/sh\nexec git "$@"\n', { mode: 0o755 });
    const git = new GitRunner({ gitBinary: ownGit });
    const indexFile = join(sandbox.root, 'private.index');
    // The idle timer, run on a fake clock: nothing else here uses timers.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const adds = new PreparedAdds();
    try {
      adds.prepare(git, 'goal-a', repo, indexFile);
      vi.advanceTimersByTime(PREPARED_ADD_IDLE_MS);
    } finally {
      vi.useRealTimers();
    }
    expect(adds.take('goal-a', repo, indexFile)).toBeUndefined();
    await until(async () => (await gatesOf(ownGit)).length === 0);
    adds.prepare(git, 'goal-b', repo, indexFile);
    expect(adds.take('goal-b', repo, join(sandbox.root, 'other.index'))).toBeUndefined();
    await until(async () => (await gatesOf(ownGit)).length === 0);
    // Neither ran: no index was written.
    expect(existsSync(indexFile)).toBe(false);
    const taken = new PreparedAdds();
    taken.prepare(git, 'goal-c', repo, indexFile);
    const add = taken.take('goal-c', repo, indexFile);
    add?.start();
    expect(await add?.result).toBe('');
    expect(existsSync(indexFile)).toBe(true);
  });
});

/** `<pid> <args>` of this process's children that are prepared calls of `gitBinary` still waiting (git-spawn.ts's gate). */
async function gatesOf(gitBinary: string): Promise<string[]> {
  const { stdout } = await execFileAsync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]);
  return stdout.split('\n').filter((line) => line.includes('read -r _') && line.includes(gitBinary));
}

/** Waits for a condition (polling; generous, as the machine may be busy). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 50) {
    if (waited > 30_000) throw new Error('condition not met in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
