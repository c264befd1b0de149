// Renders a change for review: the file list with per-file counts and "viewed" ticks ("3 of 7
// viewed"), then each file's patch (PatchView). A file ticked viewed collapses, and stays ticked
// across reloads until its patch changes. Each file can be reverted whole or hunk by hunk (behind a
// confirmation; refused while a turn runs), and any line can take a comment (see ReviewComments).
// Very long patches start collapsed; binary and cut patches say so.
import { useMemo, useState } from 'react';
import type { DiffFileStat, DiffStat } from '../../../shared/domain/goal';
import type { FilePatch } from '../../../shared/domain/views';
import { ConfirmDialog } from '../../components/Dialog';
import { DiffStatText } from '../../components/bits';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { setDiffViewType, useDiffDialog } from '../../state/diff-dialog';
import { queryKeys } from '../../state/queries';
import { showToast } from '../../state/toasts';
import { PatchView } from './PatchView';
import { ReviewComments, type CommentDelivery } from './ReviewComments';
import { patchFingerprint, setViewed, useComments, useReview, viewedKey } from './review-state';

export { PatchView } from './PatchView';

const COLLAPSE_LINES = 800;
const NO_HUNKS: ReadonlySet<number> = new Set();

/** Which change is under review: a turn's (0-based) or the goal's whole change (null). */
export interface ReviewScope {
  goalId: string;
  turnIndex: number | null;
  turnRunning: boolean;
}

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

interface RevertAsk {
  path: string;
  hunk: number | null;
}

const NOTICE_WORDS = {
  rollback_note: 'Claude reads of it with the rollback note at the next turn.',
  queued_note: 'Claude reads of it at the next turn.',
  on_continue: 'Claude reads of it when you continue the goal.',
} as const;

function FileDiff({
  file,
  status,
  viewType,
  scope,
  viewed,
  onViewed,
  revertedHunks,
  fileReverted,
  onRevert,
}: {
  file: FilePatch;
  status: DiffFileStat['status'] | undefined;
  viewType: 'unified' | 'split';
  scope: ReviewScope;
  viewed: boolean;
  onViewed: (viewed: boolean) => void;
  revertedHunks: ReadonlySet<number>;
  fileReverted: boolean;
  onRevert: (ask: RevertAsk) => void;
}) {
  const lines = useMemo(() => file.patch.split('\n').length, [file.patch]);
  const [expanded, setExpanded] = useState<boolean | null>(null);
  const open = expanded ?? (!viewed && lines <= COLLAPSE_LINES);
  const comments = useComments(scope.goalId);
  const fileComments = useMemo(() => comments.filter((comment) => comment.path === file.path), [comments, file.path]);
  const revertHint = fileReverted
    ? 'The file was reverted'
    : scope.turnRunning
      ? 'A turn is running: pause the goal first.'
      : file.binary || status === 'type_changed'
        ? 'Revert the whole file'
        : file.truncated
          ? 'The patch is cut: revert the whole file'
          : null;
  const label = file.oldPath !== null && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path;
  return (
    <section className={`file-diff${viewed ? ' file-viewed' : ''}`} aria-label={`Diff of ${file.path}`}>
      <header className="file-diff-head">
        <button
          type="button"
          className="diff-disclosure"
          aria-expanded={open}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${file.path}`}
          onClick={() => setExpanded(!open)}
        >
          {open ? '▾' : '▸'}
        </button>
        <span className="mono">{label}</span>
        {file.truncated && (
          <span className="badge warn">
            cut at {Math.round(file.patch.length / 1024)} KiB of {Math.round(file.originalBytes / 1024)} KiB
          </span>
        )}
        <span className="diff-head-actions">
          {fileReverted ? (
            <span className="badge">Reverted</span>
          ) : (
            <button
              type="button"
              className="small"
              disabled={scope.turnRunning}
              title={scope.turnRunning ? 'A turn is running: pause the goal first.' : undefined}
              onClick={() => onRevert({ path: file.path, hunk: null })}
            >
              Revert file
            </button>
          )}
          <label className="checkbox diff-viewed">
            <input
              type="checkbox"
              checked={viewed}
              onChange={(event) => {
                onViewed(event.target.checked);
                setExpanded(null);
              }}
            />{' '}
            Viewed
          </label>
        </span>
      </header>
      {!open ? null : file.binary ? (
        <p className="muted">Binary file changed.</p>
      ) : (
        <PatchView
          patch={file.patch}
          viewType={viewType}
          review={{
            goalId: scope.goalId,
            path: file.path,
            comments: fileComments,
            canRevertHunks: revertHint === null,
            revertHint,
            revertedHunks,
            onRevertHunk: (hunk) => onRevert({ path: file.path, hunk }),
          }}
        />
      )}
      {!open && !viewed && lines > COLLAPSE_LINES && (
        <button type="button" onClick={() => setExpanded(true)}>
          Show diff of {file.path} ({lines} lines)
        </button>
      )}
    </section>
  );
}

export function FileDiffs({
  stat,
  files,
  scope,
  delivery,
}: {
  stat: DiffStat;
  files: FilePatch[];
  scope: ReviewScope;
  /** How line comments reach Claude (see ReviewComments). */
  delivery: CommentDelivery;
}) {
  const viewType = useDiffDialog((state) => state.viewType);
  const viewedMarks = useReview((state) => state.viewed);
  const [reverted, setReverted] = useState<Record<string, Set<number>>>({});
  const [revertedFiles, setRevertedFiles] = useState<ReadonlySet<string>>(new Set());
  const [asking, setAsking] = useState<RevertAsk | null>(null);
  const { goalId, turnIndex } = scope;
  const revert = useCommandMutation({
    mutationFn: (ask: RevertAsk) => call('goal.revert', { goalId, turnIndex, path: ask.path, hunk: ask.hunk }),
    invalidate: [queryKeys.goal(goalId), queryKeys.cumulativeDiff(goalId)],
    onSuccess: (answer) => {
      setAsking(null);
      if (answer.hunk === null) setRevertedFiles((state) => new Set([...state, answer.path]));
      else {
        const hunk = answer.hunk;
        setReverted((state) => ({ ...state, [answer.path]: new Set([...(state[answer.path] ?? []), hunk]) }));
      }
      showToast(
        'info',
        `${answer.hunk === null ? `Reverted ${answer.path}` : `Reverted hunk ${answer.hunk} of ${answer.path}`}. ${NOTICE_WORDS[answer.notice]}`,
      );
    },
  });
  const fingerprints = useMemo(() => new Map(files.map((file) => [file.path, patchFingerprint(file.patch)])), [files]);
  const isViewed = (path: string): boolean => {
    const mark = viewedMarks[viewedKey(goalId, turnIndex, path)];
    return mark !== undefined && mark === fingerprints.get(path);
  };
  const statusOf = new Map(stat.files.map((file) => [file.path, file.status]));
  if (stat.files.length === 0) return <p className="muted">No changes.</p>;
  const viewedCount = files.filter((file) => isViewed(file.path)).length;
  return (
    <div className="file-diffs">
      <div className="diff-summary">
        <DiffStatText files={stat.files.length} added={stat.added} removed={stat.removed} />
        <span className="diff-viewed-count" aria-live="polite" data-testid="viewed-count">
          {viewedCount} of {files.length} viewed
        </span>
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
            {isViewed(file.path) && <span className="diff-viewed-mark"> ✓ viewed</span>}
          </li>
        ))}
      </ul>
      <ReviewComments goalId={goalId} delivery={delivery} />
      {files.map((file) => (
        <FileDiff
          key={file.path}
          file={file}
          status={statusOf.get(file.path)}
          viewType={viewType}
          scope={scope}
          viewed={isViewed(file.path)}
          onViewed={(viewed) =>
            setViewed(viewedKey(goalId, turnIndex, file.path), fingerprints.get(file.path) ?? '', viewed)
          }
          revertedHunks={reverted[file.path] ?? NO_HUNKS}
          fileReverted={revertedFiles.has(file.path)}
          onRevert={(ask) => {
            revert.reset();
            setAsking(ask);
          }}
        />
      ))}
      {asking !== null && (
        <ConfirmDialog
          title={asking.hunk === null ? `Revert ${asking.path}` : `Revert hunk ${asking.hunk}`}
          message={
            <p>
              {asking.hunk === null
                ? `Every change ${turnIndex === null ? 'this goal made' : `turn ${turnIndex + 1} made`} to ${asking.path} is undone in the worktree.`
                : `Hunk ${asking.hunk} of ${asking.path} is undone in the worktree; the rest of the file stays.`}{' '}
              If the file changed since, nothing is changed and you are told so. Claude is told at its next turn.
            </p>
          }
          confirmLabel={asking.hunk === null ? 'Revert file' : `Revert hunk ${asking.hunk}`}
          danger
          busy={revert.isPending}
          error={failureText(revert)}
          onClose={() => setAsking(null)}
          onConfirm={() => revert.mutate(asking)}
        />
      )}
    </div>
  );
}
