// One file's unified patch through react-diff-view (unified or split). Every changed line carries a
// visible +/− marker in its gutter with words for screen readers (colour is never the only sign);
// changed words within a line are marked through react-diff-view's tokenize (markEdits), along with
// syntax highlighting for the languages `syntax.ts` knows (see `hunkTokens` there). In a review
// (`review` given) each hunk has a numbered header with "Revert hunk N", and each line number is a
// button that opens a comment box under the line; the line's comments show there too.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Decoration,
  Diff,
  Hunk,
  computeNewLineNumber,
  computeOldLineNumber,
  getChangeKey,
  parseDiff,
  type ChangeData,
  type FileData,
  type GutterOptions,
  type HunkData,
  type HunkTokens,
} from 'react-diff-view';
import 'react-diff-view/style/index.css';
import './diff.css';
import { addComment, removeComments, type LineComment } from './review-state';
import { hunkTokens } from './syntax';

export interface PatchReview {
  goalId: string;
  path: string;
  comments: readonly LineComment[];
  /** Reverting hunks is possible for this file (text, not a type change, no turn running). */
  canRevertHunks: boolean;
  /** Why hunks cannot be reverted, when they cannot (shown as the buttons' title). */
  revertHint: string | null;
  /** Hunks (1-based) already reverted in this view. */
  revertedHunks: ReadonlySet<number>;
  onRevertHunk: (hunk: number) => void;
}

function lineOf(change: ChangeData, side: 'old' | 'new'): number {
  return side === 'old' ? computeOldLineNumber(change) : computeNewLineNumber(change);
}

/** The side a comment on this line belongs to: removed lines by their old number, others by their new one. */
function commentSide(change: ChangeData): 'old' | 'new' {
  return change.type === 'delete' ? 'old' : 'new';
}

function lineText(change: ChangeData): string {
  return change.content;
}

function markerOf(change: ChangeData, side: 'old' | 'new'): { sign: string; words: string } | null {
  if (change.type === 'insert' && side === 'new') return { sign: '+', words: 'added' };
  if (change.type === 'delete' && side === 'old') return { sign: '−', words: 'removed' };
  return null;
}

function CommentForm({
  onSave,
  onCancel,
  label,
}: {
  onSave: (text: string) => void;
  onCancel: () => void;
  label: string;
}) {
  const [text, setText] = useState('');
  const save = () => {
    if (text.trim() !== '') onSave(text);
  };
  return (
    <form
      className="diff-comment-form"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label className="diff-sr" htmlFor="diff-comment-text">
        {label}
      </label>
      <textarea
        id="diff-comment-text"
        rows={3}
        value={text}
        autoFocus
        placeholder="What should Claude change here?"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            save();
          }
        }}
      />
      <div className="controls">
        <button type="submit" className="primary" disabled={text.trim() === ''}>
          Add comment
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="hint">Ctrl+Enter adds · Esc cancels</span>
      </div>
    </form>
  );
}

function FilePatchTable({
  file,
  viewType,
  review,
  firstHunk,
}: {
  file: FileData;
  viewType: 'unified' | 'split';
  review: PatchReview | undefined;
  firstHunk: number;
}) {
  const [commenting, setCommenting] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);
  /** Closes the comment box and gives focus back to the line's button. */
  const closeComment = (key: string) => {
    setCommenting(null);
    requestAnimationFrame(() =>
      container.current?.querySelector<HTMLButtonElement>(`button[data-change-key="${CSS.escape(key)}"]`)?.focus(),
    );
  };
  // Word-level marks come a moment after the lines: the diff shows at once, and a freshly shown
  // approval card's key guard is not kept from painting by the tokenizer.
  const filePath = file.newPath !== '' && file.newPath !== '/dev/null' ? file.newPath : file.oldPath;
  const [tokens, setTokens] = useState<{ hunks: HunkData[]; tokens: HunkTokens | null } | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setTokens({ hunks: file.hunks, tokens: hunkTokens(file.hunks, filePath) }), 50);
    return () => clearTimeout(timer);
  }, [file.hunks, filePath]);
  const currentTokens = tokens !== null && tokens.hunks === file.hunks ? tokens.tokens : null;
  const changesByKey = useMemo(() => {
    const map = new Map<string, ChangeData>();
    for (const hunk of file.hunks) for (const change of hunk.changes) map.set(getChangeKey(change), change);
    return map;
  }, [file.hunks]);

  const widgets = useMemo(() => {
    if (review === undefined) return {};
    const result: Record<string, ReactNode> = {};
    const byKey = new Map<string, LineComment[]>();
    for (const [key, change] of changesByKey) {
      const side = commentSide(change);
      const line = lineOf(change, side);
      const here = review.comments.filter((comment) => comment.side === side && comment.line === line);
      if (here.length > 0) byKey.set(key, here);
    }
    const keys = new Set([...byKey.keys(), ...(commenting !== null ? [commenting] : [])]);
    for (const key of keys) {
      const change = changesByKey.get(key);
      if (change === undefined) continue;
      const side = commentSide(change);
      const line = lineOf(change, side);
      result[key] = (
        <div className="diff-comments">
          {(byKey.get(key) ?? []).map((comment) => (
            <div key={comment.id} className="diff-comment">
              <span className="diff-comment-text">{comment.text}</span>
              <button
                type="button"
                className="link-button"
                onClick={() => removeComments(review.goalId, [comment.id])}
                aria-label={`Remove comment on line ${line}`}
              >
                Remove
              </button>
            </div>
          ))}
          {commenting === key && (
            <CommentForm
              label={`Comment on ${review.path} line ${line}`}
              onCancel={() => closeComment(key)}
              onSave={(text) => {
                addComment(review.goalId, { path: review.path, line, side, lineText: lineText(change), text });
                closeComment(key);
              }}
            />
          )}
        </div>
      );
    }
    return result;
  }, [review, changesByKey, commenting]);

  const renderGutter = ({ change, side }: GutterOptions): ReactNode => {
    const line = lineOf(change, side);
    // An empty cell (the other side of an added or removed line in split view): nothing at all.
    if (line === -1) return null;
    const marker = markerOf(change, side);
    const mark =
      marker === null ? null : (
        <>
          <span className="diff-marker" aria-hidden="true">
            {marker.sign}
          </span>
          <span className="diff-sr"> {marker.words}</span>
        </>
      );
    if (review === undefined || commentSide(change) !== side) {
      return (
        <>
          <span className="diff-line-number">{line}</span>
          {mark}
        </>
      );
    }
    const key = getChangeKey(change);
    return (
      <>
        <button
          type="button"
          className="diff-line-button"
          data-change-key={key}
          aria-label={`Comment on line ${line}${marker !== null ? ` (${marker.words})` : ''}`}
          aria-expanded={commenting === key}
          onClick={() => setCommenting(commenting === key ? null : key)}
        >
          {line}
        </button>
        {mark}
      </>
    );
  };

  return (
    <div ref={container}>
      <Diff
        viewType={viewType}
        diffType={file.type}
        hunks={file.hunks}
        tokens={currentTokens}
        widgets={widgets}
        renderGutter={renderGutter}
        className="diff-marked"
      >
        {(hunks) =>
          hunks.flatMap((hunk, index) => {
            const number = firstHunk + index;
            const header = (
              <Decoration key={`decoration-${hunk.content}-${index}`} className="diff-hunk-header">
                <div className="diff-hunk-bar">
                  <span className="diff-hunk-title">
                    {review !== undefined && <strong>Hunk {number}</strong>}{' '}
                    <span className="mono">{hunk.content}</span>
                  </span>
                  {review !== undefined &&
                    (review.revertedHunks.has(number) ? (
                      <span className="badge">Reverted</span>
                    ) : (
                      <button
                        type="button"
                        className="small"
                        disabled={!review.canRevertHunks}
                        title={review.revertHint ?? undefined}
                        aria-label={`Revert hunk ${number} of ${review.path}`}
                        onClick={() => review.onRevertHunk(number)}
                      >
                        Revert hunk
                      </button>
                    ))}
                </div>
              </Decoration>
            );
            return [header, <Hunk key={`hunk-${hunk.content}-${index}`} hunk={hunk} />];
          })
        }
      </Diff>
    </div>
  );
}

export function PatchView({
  patch,
  viewType,
  review,
}: {
  patch: string;
  viewType: 'unified' | 'split';
  review?: PatchReview;
}) {
  const files = useMemo(() => {
    try {
      return parseDiff(patch, { nearbySequences: 'zip' });
    } catch {
      return [];
    }
  }, [patch]);
  if (files.length === 0) return <pre className="raw-patch">{patch}</pre>;
  // Hunks are numbered across the whole patch: each file starts after the previous files' hunks.
  const firstHunks: number[] = [];
  let next = 1;
  for (const file of files) {
    firstHunks.push(next);
    next += file.hunks.length;
  }
  return (
    <>
      {files.map((file, index) => (
        <FilePatchTable
          key={`${file.oldRevision}-${file.newRevision}-${index}`}
          file={file}
          viewType={viewType}
          review={review}
          firstHunk={firstHunks[index] ?? 1}
        />
      ))}
    </>
  );
}
