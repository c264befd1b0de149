// Whether a path exists (file, folder or anything else `stat` follows to): the one check the workspace
// files use before creating, reusing or removing what git keeps on disk.
import { stat } from 'node:fs/promises';

/** True when `stat` succeeds on `path`; any failure (missing, unreadable, broken link) is false. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
