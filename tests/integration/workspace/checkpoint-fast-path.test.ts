// The checkpoint's fast path held against plain git: the in-process commit object is the one
// `git commit-tree` writes (sha1 and sha256 repositories); the kept private index snapshots exactly
// what a fresh index does through files appearing, disappearing, changing mode, becoming ignored,
// symlinks and a nested repository; and the goal's refs known to the manager never overwrite a ref
// someone else moved. (Git spawned directly or prepared ahead: direct-git.test.ts.)
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitBody, gitDate, writeCommitObject } from '../../../src/main/workspace/commit-object.js';
import { GitRunner } from '../../../src/main/workspace/git.js';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { resolveRepo } from '../../../src/main/workspace/snapshot.js';
import { SNAPSHOT_IDENTITY_ENV } from '../../../src/main/workspace/refs.js';
import { git, independentTree, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

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
