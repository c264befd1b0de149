// Landing against real git: commit on the goal's branch (squashed and per turn), squash-merge into
// a checked-out clean base, refusal when the base's checkout has overlapping uncommitted changes
// (the user's files and git state byte-identical afterwards), rebase with and without conflicts (a
// conflict leaves branch, index and files as they were; each conflicted file is named with how it
// conflicts), in-place commit of exactly the goal's files, and the pull-request path against a
// local bare remote with a fake `gh` that records its arguments (nothing here can reach GitHub).
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import {
  commitInPlace,
  commitOnBranch,
  LandRefusal,
  mergeIntoBase,
  uncommittedFileCount,
} from '../../../src/main/workspace/land.js';
import { rebaseOntoBase } from '../../../src/main/workspace/land-rebase.js';
import { prReadiness, pushAndOpenPullRequest } from '../../../src/main/workspace/land-pr.js';
import type { Workspace } from '../../../src/main/driver/ports.js';
import {
  filesOnDisk,
  git,
  independentTree,
  makeGoal,
  makeRepo,
  makeSandbox,
  treeOf,
  userGitState,
  writeFile,
  type Sandbox,
} from './fixture.js';

let sandbox: Sandbox;
let manager: GitWorkspaceManager;
beforeEach(() => {
  sandbox = makeSandbox();
  manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
});
afterEach(() => sandbox.cleanup());

const FILES = { '.gitignore': 'node_modules/\n', 'src/a.txt': 'a\n', 'src/b.txt': 'b\n', 'README.md': '# fixture\n' };

async function goalWorktree(): Promise<{ repo: string; ws: Workspace }> {
  const repo = makeRepo(sandbox, 'repo', FILES);
  const ws = await manager.ensure(makeGoal(repo));
  return { repo, ws };
}

const land = <T>(
  ws: Workspace,
  task: Parameters<GitWorkspaceManager['forGoal']>[1] extends (g: infer G) => Promise<unknown>
    ? (g: G) => Promise<T>
    : never,
) => manager.forGoal(ws.goalId, task);

describe('commit on the goal branch', () => {
  it('commits the final snapshot (new files included, ignored ones not) as one commit on top of the base', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'a changed\n');
    writeFile(ws.path, 'src/new.txt', 'new\n');
    writeFile(ws.path, 'node_modules/dep/index.js', 'ignored\n');
    const expectedTree = independentTree(ws.path);
    const result = await land(ws, (g) => commitOnBranch(g, ws, { message: 'Make a change\n\nbody' }));
    expect(result.created).toBe(1);
    expect(git(repo, ['rev-parse', `refs/heads/${result.branch}`]).trim()).toBe(result.commit);
    expect(treeOf(repo, result.commit)).toBe(expectedTree);
    expect(git(repo, ['rev-parse', `${result.commit}^`]).trim()).toBe(ws.baseCommit);
    expect(git(repo, ['log', '-1', '--format=%an <%ae>|%s', result.commit]).trim()).toBe(
      'Fixture User <user@example.com>|Make a change',
    );
    expect(git(ws.path, ['status', '--porcelain'])).toBe('');
    expect(await land(ws, (g) => uncommittedFileCount(g, ws))).toBe(0);
    const again = await land(ws, (g) => commitOnBranch(g, ws, { message: 'again' }));
    expect(again).toEqual({ branch: result.branch, commit: result.commit, created: 0 });
  });

  it('keeps one commit per turn from the checkpoints when asked', async () => {
    const { repo, ws } = await goalWorktree();
    await manager.checkpoint(ws, 0, 'pre');
    writeFile(ws.path, 'src/a.txt', 'turn 1\n');
    await manager.checkpoint(ws, 0, 'post');
    await manager.checkpoint(ws, 1, 'pre');
    writeFile(ws.path, 'src/b.txt', 'turn 2\n');
    await manager.checkpoint(ws, 1, 'post');
    writeFile(ws.path, 'README.md', 'after the last turn\n');
    const result = await land(ws, (g) =>
      commitOnBranch(g, ws, { message: 'Final', perTurn: true, turnSubject: (t) => `Turn ${t + 1}` }),
    );
    expect(result.created).toBe(3);
    expect(
      git(repo, ['log', '--format=%s', `${ws.baseCommit}..${result.commit}`])
        .trim()
        .split('\n'),
    ).toEqual(['Final', 'Turn 2', 'Turn 1']);
  });

  it('says how many changed files are not committed anywhere', async () => {
    const { ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'x\n');
    writeFile(ws.path, 'src/c.txt', 'c\n');
    expect(await land(ws, (g) => uncommittedFileCount(g, ws))).toBe(2);
  });
});

describe('merge into the base branch', () => {
  it('squash-merges into a checked-out clean base: one commit, files updated in the user checkout', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'goal work\n');
    await land(ws, (g) => commitOnBranch(g, ws, { message: 'wip' }));
    writeFile(ws.path, 'src/new.txt', 'second\n');
    await land(ws, (g) => commitOnBranch(g, ws, { message: 'wip 2' }));
    const result = await land(ws, (g) =>
      mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'Goal: change a\n\nDetails' }),
    );
    expect(result.fastForward).toBe(false);
    expect(realPath(result.updatedTree)).toBe(realPath(repo));
    expect(git(repo, ['rev-parse', 'main']).trim()).toBe(result.commit);
    expect(git(repo, ['rev-parse', `${result.commit}^`]).trim()).toBe(ws.baseCommit);
    expect(git(repo, ['log', '-1', '--format=%s', 'main']).trim()).toBe('Goal: change a');
    expect(readFileSync(join(repo, 'src/a.txt'), 'utf8')).toBe('goal work\n');
    expect(readFileSync(join(repo, 'src/new.txt'), 'utf8')).toBe('second\n');
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    expect(git(ws.path, ['status', '--porcelain'])).toBe('');
  });

  it('fast-forwards when the branch is one commit on top of the base', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'ff\n');
    const committed = await land(ws, (g) => commitOnBranch(g, ws, { message: 'one' }));
    const result = await land(ws, (g) => mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'one' }));
    expect(result).toMatchObject({ fastForward: true, commit: committed.commit });
    expect(readFileSync(join(repo, 'src/a.txt'), 'utf8')).toBe('ff\n');
  });

  it('squashes a single commit with another message (one Claude made) into a commit with the given message', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'by claude\n');
    const committed = await land(ws, (g) => commitOnBranch(g, ws, { message: 'Work in progress' }));
    const result = await land(ws, (g) =>
      mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'The real message' }),
    );
    expect(result.fastForward).toBe(false);
    expect(result.commit).not.toBe(committed.commit);
    expect(git(repo, ['log', '-1', '--format=%s', 'main']).trim()).toBe('The real message');
    expect(git(repo, ['rev-parse', 'main^']).trim()).toBe(ws.baseCommit);
    expect(treeOf(repo, 'main')).toBe(treeOf(repo, committed.commit));
  });

  it('refuses when the checked-out base has uncommitted changes to the same files, leaving the user byte-identical', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'goal\n');
    writeFile(ws.path, 'src/b.txt', 'goal b\n');
    await land(ws, (g) => commitOnBranch(g, ws, { message: 'goal' }));
    writeFile(repo, 'src/a.txt', 'user edit, not committed\n');
    git(repo, ['add', 'src/a.txt']);
    writeFile(repo, 'src/b.txt', 'user unstaged edit\n');
    writeFile(repo, 'notes.txt', 'untracked user file\n');
    const before = userGitState(repo);
    const filesBefore = snapshotFiles(repo);
    const error = await land(ws, (g) => mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'goal' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LandRefusal);
    expect((error as LandRefusal).reason).toBe('overlap');
    expect((error as LandRefusal).files.sort()).toEqual(['src/a.txt', 'src/b.txt']);
    expect((error as LandRefusal).message).toContain('src/a.txt');
    expect(userGitState(repo)).toEqual(before);
    expect(snapshotFiles(repo)).toEqual(filesBefore);
  });

  it('merges when the user has uncommitted changes to other files, keeping them', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'goal\n');
    await land(ws, (g) => commitOnBranch(g, ws, { message: 'goal' }));
    writeFile(repo, 'README.md', 'user edit\n');
    await land(ws, (g) => mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'goal' }));
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('user edit\n');
    expect(readFileSync(join(repo, 'src/a.txt'), 'utf8')).toBe('goal\n');
    expect(git(repo, ['status', '--porcelain']).trim()).toBe('M README.md');
  });

  it('squashes onto a base that moved without conflicts; refuses a conflicting one and names the files', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'goal\n');
    await land(ws, (g) => commitOnBranch(g, ws, { message: 'goal' }));
    writeFile(repo, 'src/b.txt', 'upstream\n');
    git(repo, ['commit', '-qam', 'upstream b']);
    const moved = git(repo, ['rev-parse', 'main']).trim();
    const result = await land(ws, (g) =>
      mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'goal on moved base' }),
    );
    expect(git(repo, ['rev-parse', `${result.commit}^`]).trim()).toBe(moved);
    expect(readFileSync(join(repo, 'src/a.txt'), 'utf8')).toBe('goal\n');
    expect(readFileSync(join(repo, 'src/b.txt'), 'utf8')).toBe('upstream\n');

    const second = await manager.ensure(makeGoal(repo));
    writeFile(second.path, 'README.md', 'goal readme\n');
    await land(second, (g) => commitOnBranch(g, second, { message: 'readme' }));
    writeFile(repo, 'README.md', 'upstream readme\n');
    git(repo, ['commit', '-qam', 'upstream readme']);
    const tip = git(repo, ['rev-parse', 'main']).trim();
    const error = await land(second, (g) =>
      mergeIntoBase(g, second, { into: 'main', squash: true, message: 'x' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LandRefusal);
    expect((error as LandRefusal).reason).toBe('conflict');
    expect((error as LandRefusal).files).toEqual(['README.md']);
    expect((error as LandRefusal).message).toContain('README.md (both modified)');
    expect(git(repo, ['rev-parse', 'main']).trim()).toBe(tip);
  });

  it('lists each conflicted file with its kind, and not a file both sides changed in separate places', async () => {
    const { repo, ws } = await sidesThatConflict();
    const tip = git(repo, ['rev-parse', 'main']).trim();
    const error = await land(ws, (g) => mergeIntoBase(g, ws, { into: 'main', squash: true, message: 'x' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LandRefusal);
    const refusal = error as LandRefusal;
    expect(refusal.reason).toBe('conflict');
    expect(refusal.files).toEqual(EXPECTED_CONFLICTS.map((conflict) => conflict.path));
    expect(refusal.fileNotes).toEqual({
      'both added.txt': 'added by the goal and on main with different content (both added)',
      'src/a.txt': 'changed by the goal and on main (both modified)',
      'src/b.txt': 'deleted by the goal, changed on main',
      'src/c.txt': 'deleted on main, changed by the goal',
    });
    expect(refusal.message).toContain('src/b.txt (deleted by the goal), src/c.txt (deleted on main)');
    expect(git(repo, ['rev-parse', 'main']).trim()).toBe(tip);
  });
});

/**
 * A goal whose committed work conflicts with main in four ways (both modified, deleted by the goal,
 * deleted on main, added by both, one name with a space), plus a file both sides changed in
 * separate lines, which merges cleanly.
 */
async function sidesThatConflict(): Promise<{ repo: string; ws: Workspace }> {
  const long = (tag: string, at: number) =>
    Array.from({ length: 12 }, (_, i) => (i === at ? `line ${i} ${tag}` : `line ${i}`)).join('\n') + '\n';
  const repo = makeRepo(sandbox, 'repo', { ...FILES, 'src/c.txt': 'c\n', 'src/long.txt': long('', -1) });
  const ws = await manager.ensure(makeGoal(repo));
  writeFile(ws.path, 'src/a.txt', 'goal a\n');
  rmSync(join(ws.path, 'src/b.txt'));
  writeFile(ws.path, 'src/c.txt', 'goal c\n');
  writeFile(ws.path, 'both added.txt', 'from the goal\n');
  writeFile(ws.path, 'src/long.txt', long('goal', 1));
  await land(ws, (g) => commitOnBranch(g, ws, { message: 'goal' }));
  writeFile(repo, 'src/a.txt', 'upstream a\n');
  writeFile(repo, 'src/b.txt', 'upstream b\n');
  rmSync(join(repo, 'src/c.txt'));
  writeFile(repo, 'both added.txt', 'from main\n');
  writeFile(repo, 'src/long.txt', long('main', 10));
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-qm', 'upstream']);
  return { repo, ws };
}

const EXPECTED_CONFLICTS = [
  { path: 'both added.txt', kind: 'both_added' },
  { path: 'src/a.txt', kind: 'both_modified' },
  { path: 'src/b.txt', kind: 'deleted_by_goal' },
  { path: 'src/c.txt', kind: 'deleted_on_base' },
];

describe('rebase onto the base', () => {
  it('rebases committed and uncommitted work onto the new base; the uncommitted part stays uncommitted', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'committed goal work\n');
    const committed = await land(ws, (g) => commitOnBranch(g, ws, { message: 'goal part 1' }));
    writeFile(ws.path, 'src/new.txt', 'uncommitted goal work\n');
    writeFile(repo, 'src/b.txt', 'upstream\n');
    git(repo, ['commit', '-qam', 'upstream b']);
    const upstream = git(repo, ['rev-parse', 'main']).trim();
    const result = await land(ws, (g) => rebaseOntoBase(g, ws, { onto: 'main' }));
    expect(result.ok).toBe(true);
    const tip = git(ws.path, ['rev-parse', 'HEAD']).trim();
    expect(tip).not.toBe(committed.commit);
    expect(git(ws.path, ['rev-parse', 'HEAD^']).trim()).toBe(upstream);
    expect(git(ws.path, ['log', '-1', '--format=%s']).trim()).toBe('goal part 1');
    expect(readFileSync(join(ws.path, 'src/b.txt'), 'utf8')).toBe('upstream\n');
    expect(readFileSync(join(ws.path, 'src/new.txt'), 'utf8')).toBe('uncommitted goal work\n');
    expect(git(ws.path, ['status', '--porcelain']).trim()).toBe('?? src/new.txt');
    expect(git(repo, ['rev-parse', `refs/overseer/${ws.goalId}/base`]).trim()).toBe(upstream);
  });

  it('on a conflict aborts and leaves the branch, the index and every file as they were', async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(ws.path, 'src/a.txt', 'goal version\n');
    await land(ws, (g) => commitOnBranch(g, ws, { message: 'goal a' }));
    writeFile(ws.path, 'src/b.txt', 'goal b, uncommitted\n');
    writeFile(ws.path, 'node_modules/x.js', 'ignored\n');
    git(ws.path, ['add', 'src/b.txt']);
    writeFile(repo, 'src/a.txt', 'upstream version\n');
    git(repo, ['commit', '-qam', 'upstream a']);
    const before = userGitState(ws.path);
    const filesBefore = snapshotFiles(ws.path);
    const userBefore = userGitState(repo);
    const result = await land(ws, (g) => rebaseOntoBase(g, ws, { onto: 'main' }));
    expect(result).toMatchObject({ ok: false, conflicts: [{ path: 'src/a.txt', kind: 'both_modified' }] });
    expect(userGitState(ws.path)).toEqual(before);
    expect(snapshotFiles(ws.path)).toEqual(filesBefore);
    expect(userGitState(repo)).toEqual(userBefore);
    expect(git(repo, ['rev-parse', `refs/overseer/${ws.goalId}/base`]).trim()).toBe(ws.baseCommit);
  });

  it('names how each file conflicts (the base is git\'s "ours" in a rebase) and still leaves everything as it was', async () => {
    const { repo, ws } = await sidesThatConflict();
    writeFile(ws.path, 'uncommitted.txt', 'goal work not committed\n');
    const before = userGitState(ws.path);
    const filesBefore = snapshotFiles(ws.path);
    const result = await land(ws, (g) => rebaseOntoBase(g, ws, { onto: 'main' }));
    expect(result).toEqual({
      ok: false,
      onto: 'main',
      ontoCommit: git(repo, ['rev-parse', 'main']).trim(),
      conflicts: EXPECTED_CONFLICTS,
    });
    expect(userGitState(ws.path)).toEqual(before);
    expect(snapshotFiles(ws.path)).toEqual(filesBefore);
  });

  it("when the branch already has the base (Claude rebased it), says so and moves the goal's base there", async () => {
    const { repo, ws } = await goalWorktree();
    writeFile(repo, 'src/b.txt', 'upstream\n');
    git(repo, ['commit', '-qam', 'upstream b']);
    const upstream = git(repo, ['rev-parse', 'main']).trim();
    writeFile(ws.path, 'src/a.txt', 'goal\n');
    git(ws.path, ['add', '-A']);
    git(ws.path, ['commit', '-qm', 'goal work']);
    git(ws.path, ['rebase', '-q', 'main']);
    const result = await land(ws, (g) => rebaseOntoBase(g, ws, { onto: 'main' }));
    expect(result).toMatchObject({ ok: true, alreadyUpToDate: true });
    expect(git(repo, ['rev-parse', `refs/overseer/${ws.goalId}/base`]).trim()).toBe(upstream);
  });
});

describe('in place', () => {
  it("commits exactly the goal's files on the current branch and keeps the user's other staged change", async () => {
    const repo = makeRepo(sandbox, 'repo', FILES);
    const ws = await manager.ensure(makeGoal(repo, { inPlace: true }));
    writeFile(repo, 'src/a.txt', 'goal edit\n');
    writeFile(repo, 'src/added.txt', 'goal new\n');
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const result = await land(ws, (g) => commitInPlace(g, ws, 'In place goal'));
    expect(result.files.sort()).toEqual(['src/a.txt', 'src/added.txt']);
    expect(git(repo, ['rev-parse', 'HEAD^']).trim()).toBe(head);
    expect(git(repo, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual([
      'src/a.txt',
      'src/added.txt',
    ]);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });
});

describe('push and pull request', () => {
  it('says what is missing, then pushes to a local bare remote and runs gh pr create with the drafted title and body', async () => {
    const { repo, ws } = await goalWorktree();
    const bin = join(sandbox.root, 'bin');
    const noGh = await land(ws, (g) => prReadiness(g, ws.repoPath, bin));
    expect(noGh.missing).toMatch(/no remote.*gh/s);
    const bare = join(sandbox.root, 'remote.git');
    git(sandbox.root, ['init', '-q', '--bare', bare]);
    git(repo, ['remote', 'add', 'origin', bare]);
    mkdirSync(bin);
    const record = join(sandbox.root, 'gh-args.json');
    writeFileSync(
      join(bin, 'gh'),
      `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));\nconsole.log('https://github.invalid/owner/repo/pull/7');\n`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    const path = `${bin}:${process.env['PATH'] ?? ''}`;
    expect((await land(ws, (g) => prReadiness(g, ws.repoPath, path))).missing).toBeNull();
    writeFile(ws.path, 'src/a.txt', 'pr work\n');
    const committed = await land(ws, (g) => commitOnBranch(g, ws, { message: 'PR title\n\nPR body' }));
    const result = await land(ws, (g) =>
      pushAndOpenPullRequest(g, ws, { base: 'main', title: 'PR title', body: 'PR body', pathVariable: path }),
    );
    expect(result.url).toBe('https://github.invalid/owner/repo/pull/7');
    expect(git(bare, ['rev-parse', `refs/heads/${committed.branch}`]).trim()).toBe(committed.commit);
    const recorded = JSON.parse(readFileSync(record, 'utf8')) as { args: string[] };
    expect(recorded.args).toEqual([
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      committed.branch,
      '--title',
      'PR title',
      '--body',
      'PR body',
    ]);
  });
});

function realPath(path: string | null): string | null {
  return path === null ? null : git(path, ['rev-parse', '--show-toplevel']).trim();
}

function snapshotFiles(dir: string): Record<string, string> {
  return Object.fromEntries(filesOnDisk(dir).map((file) => [file, readFileSync(join(dir, file)).toString('base64')]));
}
