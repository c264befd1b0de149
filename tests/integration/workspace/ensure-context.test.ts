// Where a goal's workspace is in git, learnt while ensuring it (ensure.ts linkedWorktreeContext),
// held against `git rev-parse` (resolveRepo): the same context for a new worktree, one made from a
// subfolder, a reattached one and an in-place goal; a worktree whose files do not point back falls
// back to rev-parse; and the goal's first checkpoint then runs no rev-parse of its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkedWorktreeContext } from '../../../src/main/workspace/ensure.js';
import { GitRunner } from '../../../src/main/workspace/git.js';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { resolveRepo } from '../../../src/main/workspace/snapshot.js';
import { git, independentTree, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

/** A git that logs its subcommand (the first argument that is not a `-c` setting), then runs git. */
function loggingGit(): { binary: string; subcommands: () => string[] } {
  const log = join(sandbox.root, 'git.log');
  const binary = join(sandbox.root, 'logging-git');
  writeFileSync(
    binary,
    `#!/bin/sh\nfor arg; do case "$arg" in -c) skip=1;; *) if [ -z "$skip" ]; then echo "$arg" >> '${log}'; break; fi; skip=;; esac; done\nexec git "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(log, '');
  return {
    binary,
    subcommands: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
  };
}

describe('the context of a linked worktree read from its files', () => {
  it('is what rev-parse says: new, from a subfolder, reattached', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n', 'sub/dir/b.txt': 'b\n' });
    const runner = new GitRunner();
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    for (const from of [repo, join(repo, 'sub', 'dir')]) {
      const goal = makeGoal(from);
      const ws = await manager.ensure(goal);
      const repoContext = await resolveRepo(runner, from);
      const top = join(sandbox.worktreesDir, goal.id);
      const read = await linkedWorktreeContext(top, repoContext);
      expect(read).toEqual(await resolveRepo(runner, ws.path));
      // Reattached by a new manager (a restart): the same again.
      const again = await new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir }).ensure(goal);
      expect(again.path).toBe(ws.path);
      expect(await linkedWorktreeContext(top, repoContext)).toEqual(read);
    }
  });

  it('is not trusted when the worktree files do not point back: rev-parse answers instead', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const other = makeRepo(sandbox, 'other', { 'o.txt': 'o\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const goal = makeGoal(repo);
    await manager.ensure(goal);
    const repoContext = await resolveRepo(new GitRunner(), repo);
    const top = join(sandbox.worktreesDir, goal.id);
    expect(await linkedWorktreeContext(top, await resolveRepo(new GitRunner(), other))).toBeNull();
    writeFileSync(join(top, '.git'), 'not a gitfile\n');
    expect(await linkedWorktreeContext(top, repoContext)).toBeNull();
    expect(await linkedWorktreeContext(join(sandbox.root, 'missing'), repoContext)).toBeNull();
  });
});

describe("a goal's first checkpoint after ensure", () => {
  it('runs no rev-parse: only add -A (worktree and in place; the small tree is written in-process)', async () => {
    for (const inPlace of [false, true]) {
      const repo = makeRepo(sandbox, `repo-${String(inPlace)}`, { 'a.txt': 'a\n', 'd/b.txt': 'b\n' });
      const logged = loggingGit();
      const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir, gitBinary: logged.binary });
      const ws = await manager.ensure(makeGoal(repo, { inPlace }));
      const before = logged.subcommands().length;
      writeFile(ws.path, 'new.txt', 'new\n');
      const first = await manager.checkpoint(ws, 0, 'pre');
      expect(logged.subcommands().slice(before), `inPlace ${String(inPlace)}`).toEqual(['add']);
      expect(first.tree).toBe(independentTree(ws.path));
      expect(git(repo, ['rev-parse', first.ref]).trim()).toBe(first.sha);
    }
  });
});
