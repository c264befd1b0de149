// Unified patches for the approval card, the allow-with-edits preview and the timeline's
// mini-diffs, computed by jsdiff (`diff`): the change of a whole file with a few lines of context
// and the file's own line numbers, written in git's form so the diff viewer (react-diff-view) reads
// it like a turn's diff.
import { structuredPatch } from 'diff';

/** Lines of unchanged context around each change. */
export const CONTEXT_LINES = 3;

export interface PatchOptions {
  context?: number;
  /** The file does not exist yet (a Write creating it): written as a new file. */
  newFile?: boolean;
}

export interface PatchStat {
  added: number;
  removed: number;
}

function hunksOf(path: string, before: string, after: string, context: number) {
  return structuredPatch(path, path, before, after, undefined, undefined, { context }).hunks;
}

/** A git-style unified patch of `path` from `before` to `after`; no hunks when they are equal. */
export function unifiedPatch(path: string, before: string, after: string, options: PatchOptions = {}): string {
  const hunks = hunksOf(path, before, after, options.context ?? CONTEXT_LINES);
  const header = options.newFile
    ? `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n`
    : `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n`;
  const body = hunks
    .map((hunk) => {
      // git numbers an empty side from the line before it (0 for an empty file); jsdiff from 1.
      const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
      const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
      return `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@\n${hunk.lines.join('\n')}\n`;
    })
    .join('');
  return header + body;
}

/** Lines added and removed from `before` to `after`. */
export function patchStat(before: string, after: string): PatchStat {
  let added = 0;
  let removed = 0;
  for (const hunk of hunksOf('', before, after, 0)) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}
