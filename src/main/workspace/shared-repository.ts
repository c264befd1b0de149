// Whether a repository is shared by a group of users (`core.sharedRepository`), and so whether
// Overseer may write git's files in it itself.
//
// In a shared repository git gives every folder and file it creates the permissions the setting asks
// for (a folder of `objects/` group-writable and setgid, a ref group-writable), whatever the umask of
// the process. Overseer's in-process writers (loose objects, the checkpoint's tree and commit, its
// ref) follow the umask only: a folder they created under `objects/` would be one the group's other
// users cannot add objects to, and their next `git commit` would fail there. So in a shared
// repository those writes are left to git (`write-tree`, `commit-tree`, `update-ref`), which is
// slower by a process or three per checkpoint and always right.
import type { GitRunner } from './git.js';

/** The values git reads as "the umask decides" (git's own default, and the falsy booleans). */
const UMASK_WORDS = new Set(['false', 'no', 'off']);

/**
 * Whether a `core.sharedRepository` value asks for permissions beyond the umask. Git reads "umask",
 * a false boolean and an octal 0 as "no"; "group", "all", a true boolean and any other octal mode as
 * "yes". A value this cannot place (an empty one, which is also what a key without `=` prints) is
 * taken as shared: leaving the writes to git is only slower.
 */
export function sharesPermissions(value: string): boolean {
  if (value === 'umask' || UMASK_WORDS.has(value.toLowerCase())) return false;
  if (/^[0-7]+$/.test(value)) return Number.parseInt(value, 8) !== 0;
  return true;
}

/**
 * `core.sharedRepository` as git reads it from `cwd` (the repository's config, its includes and the
 * user's). A failure to read it counts as shared.
 */
export async function readSharedRepository(git: GitRunner, cwd: string): Promise<boolean> {
  try {
    const value = await git.run({
      cwd,
      direct: true,
      args: ['config', '--default', 'umask', '--get', 'core.sharedRepository'],
    });
    return sharesPermissions(value.trim());
  } catch {
    return true;
  }
}
