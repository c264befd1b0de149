// Push the goal's branch and open a pull request with the GitHub CLI (`gh pr create`). What is
// missing (a remote, `gh` itself) is reported before anything is pushed, in words a button can show.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Workspace } from '../driver/index.js';
import { asWorkspaceError, type GitRunner } from './git.js';
import { remotes } from './land-git.js';
import { goalBranch, LandRefusal } from './land.js';

/** The first executable named `name` on PATH, or null. */
export async function findOnPath(name: string, pathVariable = process.env['PATH'] ?? ''): Promise<string | null> {
  for (const dir of pathVariable.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface PrReadiness {
  remote: string | null;
  gh: string | null;
  /** Null when a PR can be opened; else what is missing, e.g. "no remote: add one with `git remote add origin URL`". */
  missing: string | null;
}

export async function prReadiness(git: GitRunner, repoPath: string, pathVariable?: string): Promise<PrReadiness> {
  const remote = (await remotes(git, repoPath))[0] ?? null;
  const gh = await findOnPath('gh', pathVariable);
  const missing: string[] = [];
  if (remote === null) missing.push('the repository has no remote (add one with `git remote add origin URL`)');
  if (gh === null) missing.push('the GitHub CLI `gh` is not installed (or not on PATH)');
  return { remote, gh, missing: missing.length === 0 ? null : missing.join('; ') };
}

export interface PullRequestResult {
  remote: string;
  branch: string;
  /** What `gh pr create` printed last (the PR's URL). */
  url: string;
}

/** Pushes the goal's branch to the repository's remote and runs `gh pr create`. Commit first. */
export async function pushAndOpenPullRequest(
  git: GitRunner,
  ws: Workspace,
  options: { base: string; title: string; body: string; pathVariable?: string },
): Promise<PullRequestResult> {
  const { context, branch } = await goalBranch(git, ws);
  const ready = await prReadiness(git, ws.repoPath, options.pathVariable);
  if (ready.missing !== null || ready.remote === null || ready.gh === null) {
    throw new LandRefusal('pr_unavailable', `cannot open a pull request: ${ready.missing ?? 'unknown'}`);
  }
  try {
    await git.run({
      cwd: context.top,
      args: ['push', '--porcelain', ready.remote, `refs/heads/${branch}:refs/heads/${branch}`],
    });
  } catch (error) {
    throw asWorkspaceError(error, `pushing ${branch} to ${ready.remote}`);
  }
  // Imported here, not with the host: execa is about 100 ms of a process's start (bench/startup/FINDINGS.md).
  const { execa } = await import('execa');
  const result = await execa(
    ready.gh,
    ['pr', 'create', '--base', options.base, '--head', branch, '--title', options.title, '--body', options.body],
    { cwd: context.top, reject: false, stdin: 'ignore', timeout: 120_000, env: { GH_PROMPT_DISABLED: '1' } },
  );
  if (result.exitCode !== 0) {
    throw new LandRefusal(
      'pr_unavailable',
      `gh pr create failed (exit ${String(result.exitCode)}): ${(result.stderr || result.stdout).trim().slice(-2000)}`,
    );
  }
  const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
  return { remote: ready.remote, branch, url: lines[lines.length - 1]?.trim() ?? '' };
}
