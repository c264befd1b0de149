// Renders a change: the file list with per-file counts, then each file's unified patch through
// react-diff-view (unified or split). Very long patches start collapsed; binary and cut patches
// say so.
import { useMemo, useState } from 'react';
import { Diff, Hunk, parseDiff } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import type { DiffStat } from '../../../shared/domain/goal';
import type { FilePatch } from '../../../shared/domain/views';
import { DiffStatText } from '../../components/bits';
import { setDiffViewType, useDiffDialog } from '../../state/diff-dialog';

const COLLAPSE_LINES = 800;

export function ViewTypeToggle() {
  const viewType = useDiffDialog((state) => state.viewType);
  return (
    <div className="segmented" role="group" aria-label="Diff layout">
      <button type="button" aria-pressed={viewType === 'unified'} onClick={() => setDiffViewType('unified')}>
        Unified
      </button>
      <button type="button" aria-pressed={viewType === 'split'} onClick={() => setDiffViewType('split')}>
        Split
      </button>
    </div>
  );
}

export function PatchView({ patch, viewType }: { patch: string; viewType: 'unified' | 'split' }) {
  const files = useMemo(() => {
    try {
      return parseDiff(patch, { nearbySequences: 'zip' });
    } catch {
      return [];
    }
  }, [patch]);
  if (files.length === 0) return <pre className="raw-patch">{patch}</pre>;
  return (
    <>
      {files.map((file, index) => (
        <Diff
          key={`${file.oldRevision}-${file.newRevision}-${index}`}
          viewType={viewType}
          diffType={file.type}
          hunks={file.hunks}
        >
          {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
        </Diff>
      ))}
    </>
  );
}

function FileDiff({ file, viewType }: { file: FilePatch; viewType: 'unified' | 'split' }) {
  const lines = useMemo(() => file.patch.split('\n').length, [file.patch]);
  const [open, setOpen] = useState(lines <= COLLAPSE_LINES);
  return (
    <section className="file-diff" aria-label={`Diff of ${file.path}`}>
      <header className="file-diff-head">
        <span className="mono">
          {file.oldPath !== null && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path}
        </span>
        {file.truncated && (
          <span className="badge warn">
            cut at {Math.round(file.patch.length / 1024)} KiB of {Math.round(file.originalBytes / 1024)} KiB
          </span>
        )}
      </header>
      {file.binary ? (
        <p className="muted">Binary file changed.</p>
      ) : open ? (
        <PatchView patch={file.patch} viewType={viewType} />
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Show diff of {file.path} ({lines} lines)
        </button>
      )}
    </section>
  );
}

export function FileDiffs({ stat, files }: { stat: DiffStat; files: FilePatch[] }) {
  const viewType = useDiffDialog((state) => state.viewType);
  if (stat.files.length === 0) return <p className="muted">No changes.</p>;
  return (
    <div className="file-diffs">
      <div className="diff-summary">
        <DiffStatText files={stat.files.length} added={stat.added} removed={stat.removed} />
        <ViewTypeToggle />
      </div>
      <ul className="file-list" aria-label="Changed files">
        {stat.files.map((file) => (
          <li key={file.path}>
            <span className={`file-status file-${file.status}`}>{file.status}</span>{' '}
            <span className="mono">{file.path}</span>{' '}
            {file.binary ? (
              <span className="muted">binary</span>
            ) : (
              <>
                <span className="added">+{file.added}</span> <span className="removed">−{file.removed}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      {files.map((file) => (
        <FileDiff key={file.path} file={file} viewType={viewType} />
      ))}
    </div>
  );
}
