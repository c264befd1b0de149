// One whole unified diff between two snapshots, as `git apply` takes it: every file, uncut, binary
// files as git's binary patches (`--binary --full-index`). The per-file patches of patch.ts are for
// display and capped; this one is for applying elsewhere (`overseer diff`) or in reverse (revert.ts,
// limited to one file's pathspecs).
import type { GitRunner } from './git.js';
import { asWorkspaceError } from './git.js';
import { DIFF_BASE_OPTIONS } from './diff-stat.js';

export async function fullPatchBetween(
  git: GitRunner,
  cwd: string,
  from: string,
  to: string,
  only: { pathspecs: string[]; what: string } = { pathspecs: [], what: `patch ${from}..${to}` },
): Promise<string> {
  try {
    return await git.run({
      cwd,
      config: ['core.quotePath=false'],
      args: [
        'diff',
        '--patch',
        '--binary',
        '--full-index',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        ...DIFF_BASE_OPTIONS,
        from,
        to,
        '--',
        ...only.pathspecs,
      ],
    });
  } catch (error) {
    throw asWorkspaceError(error, only.what);
  }
}
