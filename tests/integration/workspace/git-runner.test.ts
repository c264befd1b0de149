// The git runner under the workspace manager: a non-zero exit is an error even without stderr,
// stdin reaches git, ambient GIT_* variables do not leak in, a missing git is a typed error; an exit
// code the caller reads as an answer (runWithAnswers) keeps its stdout, and only that one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitCommandError, GitRunner } from '../../../src/main/workspace/git.js';
import { makeRepo, makeSandbox, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

describe('GitRunner', () => {
  it('fails on a non-zero exit even when git prints nothing', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const runner = new GitRunner();
    const failure = runner.run({ cwd: repo, args: ['rev-parse', '--verify', '--quiet', 'no-such-ref'] });
    await expect(failure).rejects.toBeInstanceOf(GitCommandError);
    await expect(failure).rejects.toMatchObject({ exitCode: 1 });
  });

  it('writes input to stdin and ignores GIT_DIR from the environment', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const previous = process.env['GIT_DIR'];
    process.env['GIT_DIR'] = '/nonexistent/.git';
    try {
      const runner = new GitRunner();
      const out = await runner.run({ cwd: repo, args: ['cat-file', '--batch-check'], input: 'HEAD\n' });
      expect(out).toMatch(/^[0-9a-f]{40} commit \d+\n$/);
    } finally {
      if (previous === undefined) delete process.env['GIT_DIR'];
      else process.env['GIT_DIR'] = previous;
    }
  });

  it('fails when git is killed by a signal, instead of returning its (empty) output as a success', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const killedGit = join(sandbox.root, 'killed-git');
    writeFileSync(killedGit, '#!/bin/sh\nkill -KILL $$\n', { mode: 0o755 });
    const runner = new GitRunner({ gitBinary: killedGit });
    const failure = runner.run({ cwd: repo, args: ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'] });
    await expect(failure).rejects.toBeInstanceOf(GitCommandError);
    await expect(failure).rejects.toThrow(/killed by a signal/);
  });

  it('reports a git that cannot be started as git_missing', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const runner = new GitRunner({ gitBinary: '/nonexistent/git' });
    await expect(runner.run({ cwd: repo, args: ['status'] })).rejects.toMatchObject({ code: 'git_missing' });
  });

  it('refuses a per-call -c that would turn hooks or fsmonitor back on', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const runner = new GitRunner();
    await expect(
      runner.run({ cwd: repo, args: ['status'], config: ['core.hooksPath=.githooks'] }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(runner.run({ cwd: repo, args: ['status'], config: ['Core.FsMonitor=true'] })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(await runner.run({ cwd: repo, args: ['config', '--get', 'core.hooksPath'] })).toBe('/dev/null\n');
  });
});

describe('GitRunner.runWithAnswers', () => {
  it('returns stdout and the exit code for an exit the caller reads as an answer; other exits still throw', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const runner = new GitRunner();
    // `diff --quiet`-style answers: `git diff --no-index --exit-code` exits 1 when the files differ, with the diff on stdout.
    const differs = await runner.runWithAnswers(
      { cwd: repo, args: ['diff', '--no-index', '--exit-code', '--no-color', '--', 'a.txt', '/dev/null'] },
      [1],
    );
    expect(differs.exitCode).toBe(1);
    expect(differs.stdout).toContain('-a');
    const same = await runner.runWithAnswers(
      { cwd: repo, args: ['diff', '--no-index', '--exit-code', '--', 'a.txt', 'a.txt'] },
      [1],
    );
    expect(same).toEqual({ exitCode: 0, stdout: '' });
    const other = runner.runWithAnswers({ cwd: repo, args: ['rev-parse', '--verify', 'no-such-ref^{commit}'] }, [1]);
    await expect(other).rejects.toBeInstanceOf(GitCommandError);
    await expect(other).rejects.toMatchObject({ exitCode: 128 });
    // `run` keeps its contract: exit 1 is an error there.
    await expect(
      runner.run({ cwd: repo, args: ['diff', '--no-index', '--exit-code', '--', 'a.txt', '/dev/null'] }),
    ).rejects.toMatchObject({ exitCode: 1 });
  });
});
