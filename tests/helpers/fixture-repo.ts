// A throwaway git repository for end-to-end tests (git init in a temp dir, one commit), and
// `git diff --numstat` between two revisions, the numbers `git diff --stat` prints.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureRepo {
  path: string;
  git(...args: string[]): string;
  remove(): void;
}

export function createFixtureRepo(
  files: Record<string, string> = { 'README.md': '# Fixture\n\nA repository for the console journey.\n' },
): FixtureRepo {
  const path = mkdtempSync(join(tmpdir(), 'overseer-e2e-repo-'));
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: path,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Fixture',
        GIT_AUTHOR_EMAIL: 'fixture@example.com',
        GIT_COMMITTER_NAME: 'Fixture',
        GIT_COMMITTER_EMAIL: 'fixture@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
  git('add', '-A');
  git('commit', '-q', '-m', 'initial commit');
  return { path, git, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface NumStat {
  files: number;
  added: number;
  removed: number;
}

/** Files, insertions and deletions between two revisions, as `git diff --stat` counts them. */
export function gitDiffNumbers(repo: FixtureRepo, from: string, to: string): NumStat {
  const lines = repo
    .git('diff', '--numstat', from, to)
    .split('\n')
    .filter((line) => line.trim() !== '');
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    const [plus = '0', minus = '0'] = line.split('\t');
    added += plus === '-' ? 0 : Number(plus);
    removed += minus === '-' ? 0 : Number(minus);
  }
  return { files: lines.length, added, removed };
}

/** A fixture repository for landing tests: landing commits carry the user's own identity, set here. */
export function createLandingFixtureRepo(): FixtureRepo {
  const repo = createFixtureRepo();
  repo.git('config', 'user.name', 'Fixture User');
  repo.git('config', 'user.email', 'fixture@example.com');
  return repo;
}
