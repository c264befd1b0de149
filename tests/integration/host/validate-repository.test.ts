// The repository check behind the "New goal" form and `overseer run --repo`: it answers what the
// workspace manager will accept, so a goal never starts on a folder `ensure` would refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateRepository } from '../../../src/main/host/services/repository.js';
import { fixtureRepo } from './support.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-validate-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('validateRepository', () => {
  it('accepts a repository (or a folder inside one) and says where HEAD is', async () => {
    const repo = fixtureRepo(root);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    expect(await validateRepository(repo)).toEqual({
      ok: true,
      path: repo,
      message: `git repository on main at ${head.slice(0, 8)}`,
      head,
      branch: 'main',
    });
    mkdirSync(join(repo, 'src'));
    expect((await validateRepository(join(repo, 'src'))).ok).toBe(true);
  });

  it('accepts a repository without commits, saying what that means', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    execFileSync('git', ['init', '-q', '-b', 'trunk'], { cwd: empty });
    expect(await validateRepository(empty)).toMatchObject({
      ok: true,
      head: null,
      branch: 'trunk',
      message: expect.stringContaining('no commits yet'),
    });
  });

  it('refuses what the workspace manager could not use, saying why', async () => {
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    const plain = join(root, 'plain');
    mkdirSync(plain);
    const bare = join(root, 'bare.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    expect(await validateRepository('')).toMatchObject({ ok: false, message: 'choose a repository folder' });
    expect(await validateRepository(join(root, 'missing'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('does not exist'),
    });
    expect(await validateRepository(file)).toMatchObject({
      ok: false,
      message: expect.stringContaining('is not a folder'),
    });
    expect(await validateRepository(plain)).toMatchObject({
      ok: false,
      message: expect.stringContaining('is not a git repository'),
    });
    expect(await validateRepository(bare)).toMatchObject({
      ok: false,
      message: expect.stringContaining('bare repository'),
    });
  });
});
