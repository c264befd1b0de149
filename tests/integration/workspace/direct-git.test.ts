// Git spawned directly (no simple-git) and prepared ahead (GitRunner.prepare), held against the
// simple-git path: output, stdin, failures, a missing git or folder, a signal, all answered alike; a
// prepared call runs nothing of git before its start and never after a cancel, nor keeps its
// process alive while it waits; and without a shell to wait in (Windows) git is spawned only at the
// release.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitCommandError, GitRunner, type GitCall } from '../../../src/main/workspace/git.js';
import { deferredGit, type DirectGitCall } from '../../../src/main/workspace/git-spawn.js';
import { guardChild, type ChildGuard } from '../../helpers/spawned-tree.js';
import { cleanGitEnv, git, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
/** Children of the test (prepared-at-exit-child.ts), killed with what they started even when a test times out. */
let children: ChildGuard[] = [];
afterEach(async () => {
  await Promise.all(children.map((guard) => guard.cleanup()));
  children = [];
  sandbox.cleanup();
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

/** Runs prepared-at-exit-child.ts to its end (no time limit but the test's own; afterEach kills it then). */
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
  children.push(guardChild(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
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
