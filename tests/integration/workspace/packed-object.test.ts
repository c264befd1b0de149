// Looking objects up in pack index files (packed-object.ts) held against `git cat-file --batch-check`: every
// object of a packed repository is found, objects that are only loose or not stored at all are not,
// in sha1 and sha256 repositories, with several packs, with a pack whose `.pack` is missing and once
// a pack whose objects were found is gone; and
// the in-process tree (index-tree.ts) uses packed trees as stored instead of writing them again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeIndexTree } from '../../../src/main/workspace/index-tree.js';
import { packIndexes, packedObjectStored } from '../../../src/main/workspace/packed-object.js';
import { cleanGitEnv, git, makeSandbox, writeFile, type Sandbox } from './fixture.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => {
  sandbox.cleanup();
});

function repoWith(name: string, format: 'sha1' | 'sha256', count: number): string {
  const repo = join(sandbox.root, name);
  mkdirSync(repo);
  git(repo, ['init', '-q', `--object-format=${format}`, '-b', 'main']);
  git(repo, ['config', 'user.name', 'Fixture User']);
  git(repo, ['config', 'user.email', 'user@example.com']);
  git(repo, ['config', 'gc.auto', '0']);
  for (let i = 0; i < count; i += 1) writeFile(repo, `d${i % 7}/e${i % 3}/f${i}.txt`, `file ${i}\n`);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'first']);
  return repo;
}

function allObjects(repo: string): string[] {
  return git(repo, ['rev-list', '--objects', '--all'])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ')[0] ?? '');
}

/** Which of `ids` git finds stored (one `cat-file --batch-check` for all of them). */
function gitHasAll(repo: string, ids: string[]): boolean[] {
  const output = execFileSync('git', ['cat-file', '--batch-check'], {
    cwd: repo,
    env: cleanGitEnv(),
    input: `${ids.join('\n')}\n`,
    encoding: 'utf8',
  });
  const lines = output.split('\n').filter((line) => line !== '');
  expect(lines.length).toBe(ids.length);
  return lines.map((line) => !line.endsWith(' missing'));
}

function gitHas(repo: string, id: string): boolean {
  return gitHasAll(repo, [id])[0] ?? false;
}

/** Ids no object has: each object's id with its last hex digit changed (same fan-out bucket). */
function absentNear(ids: string[]): string[] {
  return ids.map((id) => `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`).filter((id) => !ids.includes(id));
}

describe('objects stored in pack files', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`are found exactly as git cat-file finds them (${format})`, () => {
      const repo = repoWith(`repo-${format}`, format, 120);
      git(repo, ['repack', '-a', '-d', '-q']);
      const packed = allObjects(repo);
      // A second pack, and objects that are only loose.
      writeFile(repo, 'second/pack.txt', 'in the second pack\n');
      git(repo, ['add', '-A']);
      git(repo, ['commit', '-q', '-m', 'second']);
      git(repo, ['repack', '-d', '-q']);
      writeFile(repo, 'loose.txt', 'only loose\n');
      const loose = git(repo, ['hash-object', '-w', 'loose.txt']).trim();
      const everything = allObjects(repo);
      const indexes = packIndexes(join(repo, '.git'));
      expect(indexes.length).toBe(2);
      const looseOnly = [loose];
      const absent = absentNear(packed);
      const asked = [...everything.filter((id) => id !== loose), ...looseOnly, ...absent];
      const found = gitHasAll(repo, asked);
      // Git finds every object; ours finds exactly the packed ones.
      expect(found).toEqual(asked.map((id) => !absent.includes(id)));
      const inPacks = asked.map((id) => packedObjectStored(indexes, id, format));
      expect(inPacks).toEqual(asked.map((id) => !absent.includes(id) && !looseOnly.includes(id)));
    });
  }

  it('ignores a pack index whose pack file is missing, as git does', () => {
    const repo = repoWith('repo', 'sha1', 20);
    git(repo, ['repack', '-a', '-d', '-q']);
    const ids = allObjects(repo);
    const folder = join(repo, '.git', 'objects', 'pack');
    const pack = readdirSync(folder).find((name) => name.endsWith('.pack')) ?? '';
    renameSync(join(folder, pack), join(sandbox.root, pack));
    expect(packIndexes(join(repo, '.git'))).toEqual([]);
    expect(gitHasAll(repo, ids)).toEqual(ids.map(() => false));
  });

  it('no longer finds what it found in a pack once that pack is gone, as git does', () => {
    const repo = repoWith('repo', 'sha1', 20);
    git(repo, ['repack', '-a', '-d', '-q']);
    const ids = allObjects(repo);
    const before = packIndexes(join(repo, '.git'));
    expect(ids.map((id) => packedObjectStored(before, id, 'sha1'))).toEqual(ids.map(() => true));
    expect(ids.map((id) => packedObjectStored(before, id, 'sha1'))).toEqual(ids.map(() => true)); // remembered
    // The pack removed (its objects pruned by a gc): a new listing does not name it, and nothing is found.
    const folder = join(repo, '.git', 'objects', 'pack');
    for (const name of readdirSync(folder)) rmSync(join(folder, name));
    expect(gitHasAll(repo, ids)).toEqual(ids.map(() => false));
    const after = packIndexes(join(repo, '.git'));
    expect(after).toEqual([]);
    expect(ids.map((id) => packedObjectStored(after, id, 'sha1'))).toEqual(ids.map(() => false));
  });

  it('lets the in-process tree use packed trees without writing them again as loose objects', async () => {
    const repo = repoWith('repo', 'sha1', 200);
    const past = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < 200; i += 1) utimesSync(join(repo, `d${i % 7}/e${i % 3}/f${i}.txt`), past, past);
    const indexFile = join(sandbox.root, 'private.index');
    const env = { GIT_INDEX_FILE: indexFile };
    git(repo, ['add', '-A'], env);
    const first = git(repo, ['write-tree'], env).trim();
    git(repo, ['repack', '-a', '-d', '-q']); // every tree packed, no loose copy left
    writeFile(repo, 'd0/e0/new.txt', 'new\n');
    git(repo, ['add', '-A'], env);
    const ours = await writeIndexTree(readFileSync(indexFile), join(repo, '.git'), 'sha1');
    expect(ours).toBe(git(repo, ['write-tree'], env).trim());
    expect(ours).not.toBe(first);
    // The unchanged folders' trees stay packed only: no loose copy was written.
    const unchanged = git(repo, ['rev-parse', `${first}:d1`, `${first}:d2/e1`])
      .trim()
      .split('\n');
    for (const id of unchanged) {
      expect(existsSync(join(repo, '.git', 'objects', id.slice(0, 2), id.slice(2)))).toBe(false);
      expect(gitHas(repo, id)).toBe(true);
    }
    git(repo, ['fsck', '--no-dangling']);
  });
});
