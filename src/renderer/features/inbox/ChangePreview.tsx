// The change a Write/Edit/MultiEdit would make, as a diff of the whole file against its current
// content (context lines, the file's own line numbers); when the edit cannot be placed in the
// current file, the old/new strings alone with the reason. Shared by the approval card and the
// allow-with-edits preview.
import { lazy, Suspense, useMemo, useState } from 'react';
import type { CurrentFileView } from '../../../shared/commands/approval';
import { patchStat, unifiedPatch } from '../../lib/line-diff';
import { proposedChange } from '../../lib/proposed-change';
import { useDiffDialog } from '../../state/diff-dialog';

// The diff viewer loads when a file change is first shown.
const PatchView = lazy(() => import('../diff/FileDiffs').then((module) => ({ default: module.PatchView })));

/** Diffs longer than this start collapsed. */
const COLLAPSE_LINES = 400;

function Patch({ patch }: { patch: string }) {
  const viewType = useDiffDialog((state) => state.viewType);
  const lines = useMemo(() => patch.split('\n').length, [patch]);
  const [open, setOpen] = useState(lines <= COLLAPSE_LINES);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Show the diff ({lines} lines)
      </button>
    );
  }
  return (
    <Suspense fallback={<pre className="pre">{patch}</pre>}>
      <PatchView patch={patch} viewType={viewType} />
    </Suspense>
  );
}

interface ChangePreviewProps {
  toolName: string;
  input: Record<string, unknown>;
  /** The path as shown (relative to the workspace when inside it). */
  path: string;
  /** The file as it is now; undefined while it loads. */
  file: CurrentFileView | null | undefined;
}

export function ChangePreview({ toolName, input, path, file }: ChangePreviewProps) {
  const change = useMemo(
    () => (file === undefined ? null : proposedChange(toolName, input, file)),
    [toolName, input, file],
  );
  if (file === undefined) return <p className="hint">Reading the current file…</p>;
  if (change === null) return null;
  if (change.kind === 'file') {
    const stat = patchStat(change.before, change.after);
    return (
      <div className="change-preview" data-testid="change-preview" data-kind="file">
        <p className="hint">
          {change.newFile ? 'New file' : 'Against the current file'}: <span className="diff-added">+{stat.added}</span>{' '}
          <span className="diff-removed">−{stat.removed}</span>
          {stat.added === 0 && stat.removed === 0 && ' (no change)'}
        </p>
        <Patch patch={unifiedPatch(path, change.before, change.after, { newFile: change.newFile })} />
      </div>
    );
  }
  return (
    <div className="change-preview" data-testid="change-preview" data-kind="snippet">
      <p className="hint" role="note">
        Shown as the text replaced, not placed in the file: {change.reason}. Line numbers count from the snippet.
      </p>
      {change.edits.map((edit, index) => (
        <Patch key={index} patch={unifiedPatch(path, edit.before, edit.after)} />
      ))}
    </div>
  );
}
