// The checkpoint's fast path held against plain git: the in-process commit object is the one
// `git commit-tree` writes (sha1 and sha256 repositories); git spawned directly, or prepared ahead
// and started later, answers like the simple-git path, and a prepared call runs nothing of git
// before its start and never after a cancel, nor keeps its process alive while it waits; the kept private index snapshots exactly what a fresh index does through files
// appearing, disappearing, changing mode, becoming ignored, symlinks and a nested repository; and
// the goal's refs known to the manager never overwrite a ref someone else moved.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitBody, gitDate, writeCommitObject } from '../../../src/main/workspace/commit-object.js';
import { GitCommandError, GitRunner, type GitCall } from '../../../src/main/workspace/git.js';
import { deferredGit, type DirectGitCall } from '../../../src/main/workspace/git-spawn.js';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { resolveRepo } from '../../../src/main/workspace/snapshot.js';
import { SNAPSHOT_IDENTITY_ENV } from '../../../src/main/workspace/refs.js';
import { guardChild } from '../../helpers/spawned-tree.js';
import {
  cleanGitEnv,
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

/** The commit `git commit-tree` makes for the same fields at the same date. */
function commitTree(repo: string, tree: string, parent: string | null, message: string, date: Date): string {
  const when = gitDate(date);
  const args = ['commit-tree', tree, ...(parent === null ? [] : ['-p', parent]), '-m', message];
  return git(repo, args, { ...SNAPSHOT_IDENTITY_ENV, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when }).trim();
}

describe('commit objects written in-process', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`are byte for byte what git commit-tree writes (${format})`, async () => {
      const repo = join(sandbox.root, `repo-${format}`);
      mkdirSync(repo);
      git(repo, ['init', '-q', `--object-format=${format}`, '-b', 'main']);
      writeFile(repo, 'a.txt', 'a\n');
      git(repo, ['add', '-A']);
      const tree = git(repo, ['write-tree']).trim();
      const context = await resolveRepo(new GitRunner(), repo);
      expect(context.objectFormat).toBe(format);
      const date = new Date(1_700_000_000_123);
      const root = await writeCommitObject(context.commonDir, format, { tree, parent: null, message: 'first', date });
      expect(root).toBe(commitTree(repo, tree, null, 'first', date));
      const message = 'overseer checkpoint: goal x turn 3 post';
      const child = await writeCommitObject(context.commonDir, format, { tree, parent: root, message, date });
      expect(child).toBe(commitTree(repo, tree, root, message, date));
      // Readable by git and sound: git itself parses and checks it.
      expect(git(repo, ['cat-file', '-t', child]).trim()).toBe('commit');
      expect(git(repo, ['rev-parse', `${child}^`]).trim()).toBe(root);
      git(repo, ['fsck', '--strict', '--no-dangling']);
      // Writing the same object again is a no-op.
      expect(await writeCommitObject(context.commonDir, format, { tree, parent: root, message, date })).toBe(child);
    });
  }

  it('writes dates with the zone offset the way git does', () => {
    const at = (offsetMinutes: number): Date => {
      const date = new Date(1_700_000_000_000);
      date.getTimezoneOffset = () => offsetMinutes;
      return date;
    };
    expect(gitDate(at(0))).toBe('1700000000 +0000');
    expect(gitDate(at(-330))).toBe('1700000000 +0530');
    expect(gitDate(at(420))).toBe('1700000000 -0700');
    expect(() => commitBody({ tree: 'abc', parent: null, message: 'm' }, 'sha1')).toThrow(/object id/);
  });
});

const settle = (promise: Promise<string>): Promise<unknown> =>
  promise.then(
    (stdout) => ({ stdout }),
    (error: unknown) =>
      error instanceof GitCommandError
        ? { exitCode: error.exitCode, stderr: error.stderr.trim(), args: error.args }
        : { error: error instanceof Error && 'code' in error ? error.code : String(error) },
  );

/**
 * The call run through simple-git, spawned directly, and prepared (GitRunner.prepare) before both
 * but started after them: one at a time, as some calls take the index's lock.
 */
async function everyWay(runner: GitRunner, call: GitCall): Promise<[unknown, unknown, unknown]> {
  const prepared = runner.prepare(call);
  const viaSimpleGit = await settle(runner.run(call));
  const direct = await settle(runner.run({ ...call, direct: true }));
  prepared.start();
  return [viaSimpleGit, direct, await settle(prepared.result)];
}

describe('git spawned directly', () => {
  async function both(runner: GitRunner, call: GitCall): Promise<[unknown, unknown]> {
    const [viaSimpleGit, direct, prepared] = await everyWay(runner, call);
    expect(prepared).toEqual(direct);
    return [viaSimpleGit, direct];
  }

  it('answers like the simple-git path: output, stdin, failures, answers, a missing git or folder', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const runner = new GitRunner();
    const calls: GitCall[] = [
      { cwd: repo, args: ['rev-parse', 'HEAD'] },
      { cwd: repo, args: ['cat-file', '--batch-check'], input: 'HEAD\nnope\n' },
      { cwd: repo, args: ['rev-parse', '--verify', '--quiet', 'no-such-ref'] },
      { cwd: repo, args: ['cat-file', '-p', 'deadbeef'] },
      { cwd: repo, args: ['config', '--get', 'core.hooksPath'] },
      { cwd: repo, args: ['write-tree'], env: { GIT_INDEX_FILE: join(sandbox.root, 'scratch.index') } },
      { cwd: join(sandbox.root, 'no-such-folder'), args: ['status'] },
    ];
    for (const call of calls) {
      const [viaSimpleGit, direct] = await both(runner, call);
      expect(direct).toEqual(viaSimpleGit);
    }
    const missing = new GitRunner({ gitBinary: join(sandbox.root, 'no-git') });
    const [viaSimpleGit, direct] = await both(missing, { cwd: repo, args: ['status'] });
    expect(direct).toEqual(viaSimpleGit);
    expect(direct).toEqual({ error: 'git_missing' });
    const answered = await runner.runWithAnswers({ cwd: repo, args: ['diff', '--quiet', 'HEAD'], direct: true }, [1]);
    expect(answered.exitCode).toBe(0);
    writeFile(repo, 'a.txt', 'changed\n');
    const changed = await runner.runWithAnswers({ cwd: repo, args: ['diff', '--quiet', 'HEAD'], direct: true }, [1]);
    expect(changed.exitCode).toBe(1);
  });

  it('fails when git is killed by a signal', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const killedGit = join(sandbox.root, 'killed-git');
    writeFileSync(killedGit, '#!/bin/sh\nkill -KILL $$\n', { mode: 0o755 });
    const runner = new GitRunner({ gitBinary: killedGit });
    await expect(runner.run({ cwd: repo, args: ['status'], direct: true })).rejects.toThrow(/killed by a signal/);
    const prepared = runner.prepare({ cwd: repo, args: ['status'] });
    prepared.start();
    await expect(prepared.result).rejects.toThrow(/killed by a signal/);
  });
});

const atExitChild = fileURLToPath(new URL('./prepared-at-exit-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs prepared-at-exit-child.ts to its end (no time limit but the test's own). */
async function runChild(
  repo: string,
  mode: 'left' | 'started-late',
  ref: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', atExitChild, repo, mode, ref], {
    cwd: repoRoot,
    env: cleanGitEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const guard = guardChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    await guard.cleanup();
  }
}

function processRunsWith(text: string): boolean {
  try {
    execFileSync('pgrep', ['-f', text]);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a prepared git call', () => {
  it('runs nothing of git before start, and never after cancel', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const runner = new GitRunner();
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const create = (ref: string): GitCall => ({ cwd: repo, args: ['update-ref', ref, head] });
    const refExists = async (ref: string): Promise<boolean> =>
      runner.run({ cwd: repo, args: ['rev-parse', '--verify', '--quiet', ref] }).then(
        () => true,
        () => false,
      );

    const later = runner.prepare(create('refs/heads/started-later'));
    // Another git process runs to its end meanwhile: the prepared one has had time to run, and did not.
    expect(await refExists('refs/heads/started-later')).toBe(false);
    later.start();
    later.start(); // a second start does nothing
    expect(await later.result).toBe('');
    expect(await refExists('refs/heads/started-later')).toBe(true);

    const dropped = runner.prepare(create('refs/heads/cancelled'));
    dropped.cancel();
    dropped.start(); // too late: cancelled
    await expect(dropped.result).rejects.toMatchObject({ code: 'git_failed', message: /cancelled before it ran/ });
    expect(await refExists('refs/heads/cancelled')).toBe(false);

    // Cancelled and never awaited: no unhandled rejection (vitest fails the run on one).
    runner.prepare(create('refs/heads/forgotten')).cancel();
    expect(await refExists('refs/heads/forgotten')).toBe(false);
  });

  it('left waiting, does not keep its process alive, and git never runs', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const ref = `refs/heads/left-at-exit-${process.pid}`;
    const child = await runChild(repo, 'left', ref);
    expect(child).toMatchObject({ code: 0, stdout: '' });
    // The gate's stdin closed with its parent: it exits without running git.
    await until(() => !processRunsWith(ref));
    expect(git(repo, ['for-each-ref', ref])).toBe('');
  });

  it('started while nothing else keeps its process alive, runs to its answer', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const ref = 'refs/heads/started-late';
    const child = await runChild(repo, 'started-late', ref);
    expect(child).toMatchObject({ code: 0, stdout: 'ran ""\n' });
    expect(git(repo, ['rev-parse', ref]).trim()).toBe(git(repo, ['rev-parse', 'HEAD']).trim());
  });

  it('without a shell to wait in (Windows), spawns git only at the release', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const call = (ref: string): DirectGitCall => ({
      binary: 'git',
      cwd: repo,
      argv: ['update-ref', ref, head],
      env: Object.fromEntries(
        Object.entries(cleanGitEnv()).flatMap(([key, value]) => (value === undefined ? [] : [[key, value]])),
      ),
      silenceTimeoutMs: 60_000,
    });
    const refs = (): string => git(repo, ['for-each-ref', '--format=%(refname)', 'refs/heads/']);
    const released = deferredGit(call('refs/heads/released'));
    const abandoned = deferredGit(call('refs/heads/abandoned'));
    expect(refs()).not.toContain('refs/heads/released');
    released.release();
    expect(await released.exit).toMatchObject({ exitCode: 0 });
    abandoned.abandon();
    abandoned.release(); // too late
    expect(await abandoned.exit).toBeNull();
    expect(refs()).toContain('refs/heads/released');
    expect(refs()).not.toContain('refs/heads/abandoned');
  });

  it("carries the call's environment and stdin through the wait", async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n', 'b/c.txt': 'c\n' });
    const runner = new GitRunner();
    const indexFile = join(sandbox.root, 'private.index');
    git(repo, ['add', '-A'], { GIT_INDEX_FILE: indexFile });
    writeFile(repo, 'a.txt', 'edited\n');
    git(repo, ['add', '-A'], { GIT_INDEX_FILE: indexFile });
    const call: GitCall = {
      cwd: repo,
      args: ['diff', '--cached', '--name-only', 'HEAD'],
      env: { GIT_INDEX_FILE: indexFile },
    };
    const [, direct, prepared] = await everyWay(runner, call);
    expect(prepared).toEqual(direct);
    expect(prepared).toEqual({ stdout: 'a.txt\n' });
    const [, directInput, preparedInput] = await everyWay(runner, {
      cwd: repo,
      args: ['cat-file', '--batch-check'],
      input: 'HEAD\nHEAD:b/c.txt\n',
    });
    expect(preparedInput).toEqual(directInput);
  });
});

describe('checkpoints through the kept private index', () => {
  it('snapshot exactly what a fresh index sees, turn after turn', async () => {
    const repo = makeRepo(sandbox, 'repo', {
      '.gitignore': '*.log\n',
      'src/a.ts': 'a\n',
      'src/b.ts': 'b\n',
      'run.sh': 'echo hi\n',
    });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const steps: [string, () => void][] = [
      ['nothing changed', () => undefined],
      ['an untracked file appears', () => writeFile(ws.path, 'src/new/c.ts', 'c\n')],
      ['it is deleted again', () => rmSync(join(ws.path, 'src/new'), { recursive: true })],
      ['a mode change only', () => chmodSync(join(ws.path, 'run.sh'), 0o755)],
      ['and back', () => chmodSync(join(ws.path, 'run.sh'), 0o644)],
      [
        'a file becomes ignored',
        () => {
          writeFile(ws.path, 'notes.txt', 'notes\n');
          writeFile(ws.path, '.gitignore', '*.log\nnotes.txt\n');
        },
      ],
      ['an ignored file is written', () => writeFile(ws.path, 'debug.log', 'log\n')],
      ['a symlink', () => symlinkSync('src/a.ts', join(ws.path, 'link-to-a'))],
      [
        'a nested repository',
        () => {
          const nested = join(ws.path, 'vendor', 'lib');
          mkdirSync(nested, { recursive: true });
          git(nested, ['init', '-q', '-b', 'main']);
          writeFile(nested, 'x.txt', 'x\n');
          git(nested, ['add', '-A']);
          git(nested, ['-c', 'user.name=N', '-c', 'user.email=n@example.com', 'commit', '-q', '-m', 'nested']);
        },
      ],
      ['same size, same second rewrite', () => writeFile(ws.path, 'src/a.ts', 'A\n')],
      [
        'a file replaced by a folder',
        () => {
          rmSync(join(ws.path, 'src/b.ts'));
          writeFile(ws.path, 'src/b.ts/inner.ts', 'inner\n');
        },
      ],
    ];
    let previous = await manager.checkpoint(ws, 0, 'pre');
    let turn = 0;
    for (const [what, change] of steps) {
      change();
      const post = await manager.checkpoint(ws, turn, 'post');
      expect(post.tree, what).toBe(independentTree(ws.path));
      expect(git(repo, ['rev-parse', post.ref]).trim(), what).toBe(post.sha);
      // An unchanged tree reuses the previous commit; a changed one is a new commit on top of it.
      if (post.tree === previous.tree) expect(post.sha, what).toBe(previous.sha);
      else expect(git(repo, ['rev-parse', `${post.sha}^`]).trim(), what).toBe(previous.sha);
      turn += 1;
      previous = await manager.checkpoint(ws, turn, 'pre');
      expect(previous.sha, what).toBe(post.sha);
    }
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });

  it('skip write-tree only while add -A leaves the private index as it was', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    // A git that logs its subcommand, then runs the real one.
    const log = join(sandbox.root, 'git.log');
    const loggingGit = join(sandbox.root, 'logging-git');
    writeFileSync(
      loggingGit,
      `#!/bin/sh\nfor arg; do case "$arg" in -c) skip=1;; *) if [ -z "$skip" ]; then echo "$arg" >> '${log}'; break; fi; skip=;; esac; done\nexec git "$@"\n`,
      { mode: 0o755 },
    );
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir, gitBinary: loggingGit });
    const ws = await manager.ensure(makeGoal(repo));
    const writeTrees = (): number =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line === 'write-tree').length;
    await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'changed\n');
    // A file modified in the same second as the index is "racily clean": git re-reads it and may
    // rewrite the index on the next add -A (so the tree is written again, correctly but needlessly).
    // Dating the edit well before the index keeps this test about the skip, not about the clock.
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(join(ws.path, 'a.txt'), earlier, earlier);
    const post = await manager.checkpoint(ws, 0, 'post');
    const before = writeTrees();
    const pre = await manager.checkpoint(ws, 1, 'pre');
    expect(writeTrees()).toBe(before);
    expect(pre.sha).toBe(post.sha);
    expect(pre.tree).toBe(independentTree(ws.path));
    // A rollback rewrites the private index: the next snapshot writes its tree again.
    await manager.rollback(ws, ws.baseCommit ?? 'missing');
    const after = await manager.checkpoint(ws, 1, 'post');
    expect(after.tree).toBe(independentTree(ws.path));
    expect(after.tree).toBe(git(repo, ['rev-parse', `${ws.baseCommit ?? 'missing'}^{tree}`]).trim());
    // A changed index gets its tree written again (in-process from the cache tree, index-tree.ts,
    // so no write-tree process is needed), never the remembered one.
    writeFile(ws.path, 'b.txt', 'b\n');
    const next = await manager.checkpoint(ws, 2, 'pre');
    expect(next.tree).not.toBe(after.tree);
    expect(next.tree).toBe(independentTree(ws.path));
  });

  it('never overwrites a checkpoint ref moved or deleted behind its back', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo);
    const ws = await manager.ensure(goal);
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'first\n');
    const post = await manager.checkpoint(ws, 0, 'post');

    // Another writer moves 0-post and deletes 0-pre; this manager's copy of the refs is now stale.
    const elsewhere = git(repo, ['commit-tree', `${pre.sha}^{tree}`, '-m', 'elsewhere']).trim();
    git(repo, ['update-ref', post.ref, elsewhere]);
    git(repo, ['update-ref', '-d', pre.ref]);

    writeFile(ws.path, 'a.txt', 'second\n');
    const again = await manager.checkpoint(ws, 0, 'post');
    expect(git(repo, ['rev-parse', again.ref]).trim()).toBe(again.sha);
    // The commit the other writer left is kept reachable, like any replaced checkpoint.
    expect(git(repo, ['rev-parse', `refs/overseer/${goal.id}/superseded/0-post-${elsewhere}`]).trim()).toBe(elsewhere);
    // With 0-pre gone, the new post's parent is the goal's base.
    expect(git(repo, ['rev-parse', `${again.sha}^`]).trim()).toBe(ws.baseCommit);
    expect((await manager.listCheckpoints(ws)).map((checkpoint) => checkpoint.ref)).toEqual([again.ref]);
  });
});
