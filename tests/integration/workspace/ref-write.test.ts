// Checkpoint refs written in-process (ref-write.ts) held against git: git reads the ref, and the
// commit it names, exactly as when `git update-ref` writes the same change; an unexpected value,
// a lock held by someone else, a packed ref and a repository that keeps reflogs for every ref are
// all handled (left to git, or refused), never written wrongly.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitCommandError, GitRunner } from '../../../src/main/workspace/git.js';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { applyRefChanges, writeLooseRef } from '../../../src/main/workspace/ref-write.js';
import { git, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

const ZERO = '0'.repeat(40);

/** What git says about a ref: its value, for-each-ref's view, and the commit's log line. */
function gitView(repo: string, ref: string): string[] {
  return [
    git(repo, ['rev-parse', '--verify', ref]),
    git(repo, ['for-each-ref', '--format=%(objectname) %(refname) %(objecttype)', 'refs/overseer/']),
    git(repo, ['log', '-1', '--format=%H %T %P %an %s', ref]),
    git(repo, ['show-ref', '--verify', ref]),
  ];
}

describe('checkpoint refs written in-process', () => {
  it('read by git exactly as the same change written by update-ref', async () => {
    const mine = makeRepo(sandbox, 'mine', { 'a.txt': 'a\n' });
    const theirs = makeRepo(sandbox, 'theirs', { 'a.txt': 'a\n' });
    const ref = 'refs/overseer/goal/0-pre';
    const head = (repo: string): string => git(repo, ['rev-parse', 'HEAD']).trim();
    // The two repositories' commits differ by their dates: each view names its own HEAD as HEAD.
    expect(await writeLooseRef(join(mine, '.git'), ref, head(mine), ZERO)).toBe('written');
    git(theirs, ['update-ref', ref, head(theirs), ZERO]);
    const normalize = (repo: string, lines: string[]): string[] =>
      lines.map((line) => line.replaceAll(head(repo), 'HEAD'));
    expect(normalize(mine, gitView(mine, ref))).toEqual(normalize(theirs, gitView(theirs, ref)));
    // The same bytes in the same place as git's loose ref.
    expect(readFileSync(join(mine, '.git', ref), 'utf8')).toBe(`${head(mine)}\n`);
    expect(readFileSync(join(theirs, '.git', ref), 'utf8')).toBe(`${head(theirs)}\n`);
    expect(existsSync(join(mine, '.git', `${ref}.lock`))).toBe(false);
    git(mine, ['fsck', '--strict', '--no-dangling']);
  });

  it('moves a ref only from the expected value, packed or loose', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const first = git(repo, ['rev-parse', 'HEAD']).trim();
    writeFile(repo, 'a.txt', 'b\n');
    git(repo, ['commit', '-qam', 'second']);
    const second = git(repo, ['rev-parse', 'HEAD']).trim();
    const ref = 'refs/overseer/goal/1-post';
    const common = join(repo, '.git');
    git(repo, ['update-ref', ref, first]);
    git(repo, ['pack-refs', '--all']);
    expect(existsSync(join(common, ref))).toBe(false);
    // Exists (packed), so "must not exist" is refused, and a wrong expected value too.
    expect(await writeLooseRef(common, ref, second, ZERO)).toBe('unsupported');
    expect(await writeLooseRef(common, ref, second, second)).toBe('unsupported');
    expect(await writeLooseRef(common, ref, second, first)).toBe('written');
    expect(git(repo, ['rev-parse', ref]).trim()).toBe(second);
    expect(await writeLooseRef(common, ref, first, first)).toBe('unsupported');
    expect(await writeLooseRef(common, ref, first, second)).toBe('written');
    expect(git(repo, ['rev-parse', ref]).trim()).toBe(first);
  });

  it('leaves a locked ref and reflog-keeping repositories to git', async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const common = join(repo, '.git');
    const ref = 'refs/overseer/goal/2-pre';
    mkdirSync(join(common, 'refs', 'overseer', 'goal'), { recursive: true });
    writeFileSync(join(common, `${ref}.lock`), '');
    expect(await writeLooseRef(common, ref, head, ZERO)).toBe('unsupported');
    // The transaction then goes to git, which reports the lock.
    await expect(
      applyRefChanges(new GitRunner(), { top: repo, commonDir: common, sharedRepository: false }, [
        { ref, sha: head, expected: ZERO },
      ]),
    ).rejects.toBeInstanceOf(GitCommandError);
    expect(existsSync(join(common, `${ref}.lock`))).toBe(true); // someone else's lock is not ours to remove

    git(repo, ['config', 'core.logAllRefUpdates', 'always']);
    git(repo, ['update-ref', 'refs/overseer/goal/base', head]);
    const other = 'refs/overseer/goal/3-pre';
    expect(await writeLooseRef(common, other, head, ZERO)).toBe('unsupported');
    await applyRefChanges(new GitRunner(), { top: repo, commonDir: common, sharedRepository: false }, [
      { ref: other, sha: head, expected: ZERO },
    ]);
    expect(git(repo, ['reflog', 'show', '--format=%H', other]).trim()).toBe(head);
  });

  it("a goal's checkpoints through the manager: refs git reads, a moved ref caught and retried", async () => {
    const repo = makeRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'a.txt', 'changed\n');
    const post = await manager.checkpoint(ws, 0, 'post');
    expect(git(repo, ['rev-parse', pre.ref]).trim()).toBe(pre.sha);
    expect(git(repo, ['rev-parse', `${post.ref}^`]).trim()).toBe(pre.sha);
    expect(git(repo, ['rev-parse', `${post.ref}^{tree}`]).trim()).toBe(post.tree);
    // Someone else moves the next ref's slot: the manager's expectation fails, it reads again.
    git(repo, ['update-ref', `refs/overseer/${ws.goalId}/1-pre`, pre.sha]);
    const next = await manager.checkpoint(ws, 1, 'pre');
    expect(git(repo, ['rev-parse', next.ref]).trim()).toBe(next.sha);
    expect(git(repo, ['for-each-ref', '--format=%(objectname)', `refs/overseer/${ws.goalId}/superseded/`]).trim()).toBe(
      pre.sha,
    );
    await manager.deleteWorkspace(ws);
  });
});
