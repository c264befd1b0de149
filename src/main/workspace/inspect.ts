// Whether a folder is a repository a goal can work in, and where it stands: the same check
// `ensure` relies on (resolveRepo: a git working tree, not bare), plus HEAD and the branch for
// the "New goal" form and `overseer run --repo`.
import { GitCommandError, GitRunner } from './git.js';
import { resolveRepo } from './snapshot.js';

export interface RepositoryState {
  /** Top of the working tree. */
  top: string;
  /** HEAD's commit; null in a repository with no commits yet. */
  head: string | null;
  /** The checked-out branch; null on a detached HEAD. */
  branch: string | null;
}

/** Throws WorkspaceError (not_a_repository, bare_repository, git_missing, …) when it is not usable. */
export async function inspectRepository(path: string, git: GitRunner = new GitRunner()): Promise<RepositoryState> {
  const context = await resolveRepo(git, path);
  const optional = async (args: string[]): Promise<string | null> => {
    try {
      const out = (await git.run({ cwd: context.top, args })).trim();
      return out === '' ? null : out;
    } catch (error) {
      if (error instanceof GitCommandError) return null;
      throw error;
    }
  };
  return {
    top: context.top,
    head: await optional(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    branch: await optional(['symbolic-ref', '--quiet', '--short', 'HEAD']),
  };
}
