// Fixture repositories for the workspace tests: made in a temp dir with plain `git` (run here with
// execFileSync, independently of the code under test), goals pointing at them, an independent
// snapshot of a working tree, and a record of the user's git state (index, HEAD, branches, stash).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Goal } from '../../../src/shared/domain/goal.js';
import { testGoal } from '../../helpers/goal.js';

/** process.env without GIT_* variables (a test run inside a git hook must not leak GIT_DIR). */
export function cleanGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toUpperCase().startsWith('GIT_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs git in `cwd` and returns stdout (trailing newline kept). */
export function git(cwd: string, args: string[], extraEnv: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: cleanGitEnv(extraEnv), maxBuffer: 64 * 1024 * 1024 });
}

export interface Sandbox {
  root: string;
  worktreesDir: string;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  // realpath: ensure() reports real paths (macOS /var is /private/var).
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'overseer-ws-')));
  const worktreesDir = join(root, 'data', 'worktrees');
  return { root, worktreesDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeFile(dir: string, path: string, content: string | Buffer): void {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** A new repository with local identity and the given files committed (no commit when `files` is null). */
export function makeRepo(sandbox: Sandbox, name: string, files: Record<string, string | Buffer> | null): string {
  const dir = join(sandbox.root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Fixture User']);
  git(dir, ['config', 'user.email', 'user@example.com']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  git(dir, ['config', 'core.autocrlf', 'false']);
  if (files !== null) {
    for (const [path, content] of Object.entries(files)) writeFile(dir, path, content);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'initial']);
  }
  return dir;
}

export function makeGoal(
  repoPath: string,
  options: { inPlace?: boolean; metadata?: Record<string, unknown>; id?: string } = {},
): Goal {
  return testGoal({ description: 'workspace test goal', repoPath, ...options });
}

/** The tree of `dir`'s working tree as plain git sees it, through a throwaway index. */
export function independentTree(dir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'overseer-idx-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    git(dir, ['add', '-A'], env);
    return git(dir, ['write-tree'], env).trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function treeOf(dir: string, revision: string): string {
  return git(dir, ['rev-parse', `${revision}^{tree}`]).trim();
}

/** Every file path under `dir` (relative, '/'-separated), .git excluded. */
export function filesOnDisk(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** What must never change in the user's repository: index, HEAD, branches/tags, stash. */
export interface UserGitState {
  indexFileSha256: string;
  stagedEntries: string;
  cachedDiff: string;
  head: string;
  symbolicHead: string;
  refs: string;
  stash: string;
}

export function userGitState(repo: string, options: { ignoreBranchPrefix?: string } = {}): UserGitState {
  const gitDir = git(repo, ['rev-parse', '--absolute-git-dir']).trim();
  const refs = git(repo, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/tags', 'refs/stash'])
    .split('\n')
    .filter(
      (line) => options.ignoreBranchPrefix === undefined || !line.includes(` refs/heads/${options.ignoreBranchPrefix}`),
    )
    .join('\n');
  return {
    indexFileSha256: createHash('sha256')
      .update(readFileSync(join(gitDir, 'index')))
      .digest('hex'),
    stagedEntries: git(repo, ['ls-files', '--stage']),
    cachedDiff: git(repo, ['diff', '--cached', '--binary']),
    head: git(repo, ['rev-parse', 'HEAD']).trim(),
    symbolicHead: git(repo, ['symbolic-ref', 'HEAD']).trim(),
    refs,
    stash: git(repo, ['stash', 'list', '--format=%H %gs']),
  };
}

export interface ExpectedFileStat {
  path: string;
  oldPath: string | null;
  status: string;
  added: number;
  removed: number;
  binary: boolean;
}

/**
 * What plain `git diff -M` says between two revisions, from two separate calls (`--name-status -z`
 * and `--numstat -z`), parsed here independently of the code under test.
 */
export function expectedDiff(repo: string, from: string, to: string): ExpectedFileStat[] {
  const names = git(repo, ['diff', '--name-status', '-z', '-M', from, to]).split('\0');
  const byPath = new Map<string, { status: string; oldPath: string | null }>();
  for (let i = 0; i < names.length - 1;) {
    const letter = (names[i] ?? '').charAt(0);
    if (letter === 'R' || letter === 'C') {
      byPath.set(names[i + 2] ?? '', { status: letter, oldPath: names[i + 1] ?? null });
      i += 3;
    } else {
      byPath.set(names[i + 1] ?? '', { status: letter, oldPath: null });
      i += 2;
    }
  }
  const statusWord: Record<string, string> = {
    A: 'added',
    D: 'deleted',
    M: 'modified',
    R: 'renamed',
    T: 'type_changed',
  };
  const numbers = git(repo, ['diff', '--numstat', '-z', '-M', from, to]).split('\0');
  const result: ExpectedFileStat[] = [];
  for (let i = 0; i < numbers.length - 1;) {
    const [added = '', removed = '', ...rest] = (numbers[i] ?? '').split('\t');
    const path = rest.join('\t'); // a path may hold tabs
    let newPath = path;
    i += 1;
    if (path === '') {
      newPath = numbers[i + 1] ?? '';
      i += 2;
    }
    const name = byPath.get(newPath);
    if (name === undefined) throw new Error(`numstat names ${newPath}, name-status does not`);
    const binary = added === '-';
    result.push({
      path: newPath,
      oldPath: name.oldPath,
      status: statusWord[name.status] ?? name.status,
      added: binary ? 0 : Number(added),
      removed: binary ? 0 : Number(removed),
      binary,
    });
  }
  return result.sort((a, b) => a.path.localeCompare(b.path));
}

/** "N files changed, X insertions(+), Y deletions(-)" of `git diff --stat`, as numbers. */
export function statSummary(repo: string, from: string, to: string): { files: number; added: number; removed: number } {
  const lines = git(repo, ['diff', '--stat', '-M', from, to]).trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const number = (pattern: RegExp): number => Number(pattern.exec(last)?.[1] ?? '0');
  return {
    files: number(/(\d+) files? changed/),
    added: number(/(\d+) insertions?\(\+\)/),
    removed: number(/(\d+) deletions?\(-\)/),
  };
}
