// A repository shared by a group (`git init --shared=group`, core.sharedRepository): what a
// checkpoint adds to it carries the permissions git gives its own writes there, so the group's
// other users can still add objects to every folder of `objects/` and update the refs; and the
// checkpoint is the same snapshot as anywhere else. Also how a value of the setting is read.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitRunner } from '../../../src/main/workspace/git.js';
import { GitWorkspaceManager } from '../../../src/main/workspace/index.js';
import { readSharedRepository, sharesPermissions } from '../../../src/main/workspace/shared-repository.js';
import { resolveRepo } from '../../../src/main/workspace/snapshot.js';
import { git, makeGoal, makeRepo, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

/** Every folder and file under `dir`, with its permission bits (setgid included). */
function modes(dir: string): { path: string; mode: number; folder: boolean }[] {
  const found: { path: string; mode: number; folder: boolean }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    found.push({ path, mode: info.mode & 0o7777, folder: info.isDirectory() });
    if (info.isDirectory()) found.push(...modes(path));
  }
  return found;
}

const GROUP_FOLDER = 0o2070; // setgid, group rwx: what git makes in a repository shared by a group
const GROUP_FILE = 0o060; // group rw

/** A repository shared by a group, with one commit; its folders of `objects/` before any checkpoint. */
function sharedRepo(name: string): { repo: string; before: Set<string> } {
  const repo = makeRepo(sandbox, name, null);
  git(repo, ['config', 'core.sharedRepository', 'group']);
  writeFile(repo, 'a.txt', 'a\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'initial']);
  return { repo, before: new Set(modes(join(repo, '.git', 'objects')).map((entry) => entry.path)) };
}

describe('a checkpoint in a repository shared by a group', () => {
  it.each([
    ['in place', true],
    ['in a worktree', false],
  ])('%s: the folders, objects and refs it adds have the permissions git gives its own', async (_, inPlace) => {
    const { repo, before } = sharedRepo('shared');
    const manager = new GitWorkspaceManager({ worktreesDir: sandbox.worktreesDir });
    const ws = await manager.ensure(makeGoal(repo, { inPlace }));
    const pre = await manager.checkpoint(ws, 0, 'pre');
    // New folders and files deep down: new trees, so new folders of objects/.
    for (let i = 0; i < 6; i += 1) writeFile(ws.path, `dir${i}/inner/file${i}.txt`, `content ${i}\n`);
    const post = await manager.checkpoint(ws, 0, 'post');
    await manager.checkpoint(ws, 1, 'pre'); // the same tree: the commit reused, only the ref written

    const added = modes(join(repo, '.git', 'objects')).filter((entry) => !before.has(entry.path));
    const addedFolders = added.filter((entry) => entry.folder);
    expect(addedFolders.length).toBeGreaterThan(0);
    for (const folder of addedFolders)
      expect({ ...folder, mode: folder.mode & GROUP_FOLDER }).toEqual({ ...folder, mode: GROUP_FOLDER });
    for (const file of added.filter((entry) => !entry.folder)) {
      expect({ ...file, mode: file.mode & 0o044 }).toEqual({ ...file, mode: 0o044 });
    }
    const refs = modes(join(repo, '.git', 'refs', 'overseer'));
    expect(refs.filter((entry) => !entry.folder).length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      const wanted = ref.folder ? GROUP_FOLDER : GROUP_FILE;
      expect({ ...ref, mode: ref.mode & wanted }).toEqual({ ...ref, mode: wanted });
    }

    // The same snapshot git makes of the working tree, and a history git reads.
    const index = join(sandbox.root, `fresh-${String(inPlace)}.index`);
    git(ws.path, ['add', '-A'], { GIT_INDEX_FILE: index });
    expect(post.tree).toBe(git(ws.path, ['write-tree'], { GIT_INDEX_FILE: index }).trim());
    expect(git(repo, ['rev-parse', `${post.sha}^`]).trim()).toBe(pre.sha);
    expect((await manager.diffStat(ws, pre.sha, post.sha)).files).toHaveLength(6);
    git(repo, ['fsck', '--strict', '--no-dangling']);
  });

  it('the context says whether the repository is shared', async () => {
    const runner = new GitRunner();
    const plain = makeRepo(sandbox, 'plain', { 'a.txt': 'a\n' });
    const { repo: shared } = sharedRepo('shared');
    expect((await resolveRepo(runner, plain)).sharedRepository).toBe(false);
    expect((await resolveRepo(runner, shared)).sharedRepository).toBe(true);
    git(plain, ['config', 'core.sharedRepository', 'umask']);
    expect(await readSharedRepository(runner, plain)).toBe(false);
    git(plain, ['config', 'core.sharedRepository', '0640']);
    expect(await readSharedRepository(runner, plain)).toBe(true);
  });
});

describe('sharesPermissions', () => {
  it('reads core.sharedRepository as git does, and an unplaceable value as shared', () => {
    for (const value of ['umask', 'false', 'FALSE', 'no', 'off', '0', '000'])
      expect(sharesPermissions(value)).toBe(false);
    for (const value of [
      'group',
      'true',
      'yes',
      'on',
      '1',
      'all',
      'world',
      'everybody',
      '2',
      '0660',
      '0640',
      '',
      'UMASK',
      '08',
    ]) {
      expect(sharesPermissions(value)).toBe(true);
    }
  });
});
