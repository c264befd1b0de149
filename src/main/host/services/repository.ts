// Repository validation, shared by the `repo.validate` and `goal.create` commands and `overseer run`:
// does the path exist, is it a git repository, and where is its HEAD.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspectRepository, isWorkspaceError } from '../../workspace/index.js';

export interface RepositoryCheck {
  ok: boolean;
  /** Absolute, resolved path. */
  path: string;
  message: string;
  head: string | null;
  branch: string | null;
}

export async function validateRepository(path: string): Promise<RepositoryCheck> {
  const absolute = resolve(path.replace(/^~(?=$|\/)/, process.env['HOME'] ?? '~'));
  const fail = (message: string): RepositoryCheck => ({ ok: false, path: absolute, message, head: null, branch: null });
  if (path.trim() === '') return fail('choose a repository folder');
  if (!existsSync(absolute)) return fail(`${absolute} does not exist`);
  if (!statSync(absolute).isDirectory()) return fail(`${absolute} is not a folder`);
  try {
    const { head, branch } = await inspectRepository(absolute);
    if (head === null)
      return {
        ok: true,
        path: absolute,
        message: 'git repository with no commits yet (worktree mode needs a first commit)',
        head: null,
        branch,
      };
    return {
      ok: true,
      path: absolute,
      message: `git repository on ${branch ?? 'a detached HEAD'} at ${head.slice(0, 8)}`,
      head,
      branch,
    };
  } catch (error) {
    if (isWorkspaceError(error) && error.code === 'not_a_repository') {
      return fail(`${absolute} is not a git repository (run \`git init\` there, or choose another folder)`);
    }
    return fail(
      isWorkspaceError(error)
        ? error.message
        : `cannot read ${absolute} as a git repository: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
