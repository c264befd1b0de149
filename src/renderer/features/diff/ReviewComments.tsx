// The goal's draft line comments: each with its file, line and quoted text, editable and
// removable, then "Send to Claude": a running goal gets them as a note for its next turn (the
// interrupt path, without stopping the turn); an ended goal is continued with them as its note.
// Sent comments leave the draft list.
import { useState } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';
import { showToast } from '../../state/toasts';
import { commentsNote, removeComments, updateComment, useComments } from './review-state';

/** How comments reach Claude now: a note for the running goal, continuing an ended one, or not at all. */
export type CommentDelivery = 'interrupt' | 'continue' | null;

const ENDED = new Set(['done', 'budget_exhausted', 'escalated', 'cancelled', 'failed']);
const NOT_LIVE = new Set(['interrupted', 'queued', 'pending', 'setup_failed']);

export function commentDelivery(detail: GoalDetail | undefined): CommentDelivery {
  if (detail === undefined) return null;
  const status = detail.summary.status;
  if (ENDED.has(status)) return 'continue';
  return NOT_LIVE.has(status) ? null : 'interrupt';
}

export function ReviewComments({ goalId, delivery }: { goalId: string; delivery: CommentDelivery }) {
  const comments = useComments(goalId);
  const [moreTurns, setMoreTurns] = useState('3');
  const refresh = [queryKeys.goal(goalId), queryKeys.goals];
  const send = useCommandMutation({
    mutationFn: async () => {
      const note = commentsNote(comments);
      const ids = comments.map((comment) => comment.id);
      if (delivery === 'continue') {
        const turns = Number.parseInt(moreTurns, 10);
        await call('goal.continue', { goalId, note, extension: Number.isInteger(turns) && turns > 0 ? { turns } : {} });
      } else {
        await call('goal.interrupt', { goalId, message: note, stopTurn: false });
      }
      return ids;
    },
    invalidate: refresh,
    onSuccess: (ids) => {
      removeComments(goalId, ids);
      showToast(
        'info',
        delivery === 'continue'
          ? 'The goal continues with your comments.'
          : 'Comments queued: Claude reads them at the next turn.',
      );
    },
  });
  if (comments.length === 0) return null;
  return (
    <section className="review-comments" aria-labelledby={`review-comments-${goalId}`}>
      <h3 id={`review-comments-${goalId}`}>
        Review comments <span className="muted">({comments.length}, not sent yet)</span>
      </h3>
      <ul>
        {comments.map((comment) => (
          <li key={comment.id} className="review-comment">
            <div className="mono review-comment-where">
              {comment.path}:{comment.line}
              {comment.side === 'old' ? ' (removed line)' : ''}
            </div>
            <blockquote className="mono">{comment.lineText}</blockquote>
            <label className="diff-sr" htmlFor={`comment-${comment.id}`}>
              Comment on {comment.path} line {comment.line}
            </label>
            <textarea
              id={`comment-${comment.id}`}
              rows={2}
              value={comment.text}
              onChange={(event) => updateComment(goalId, comment.id, event.target.value)}
            />
            <button type="button" className="small" onClick={() => removeComments(goalId, [comment.id])}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="controls">
        {delivery === 'continue' && (
          <label className="field inline">
            More turns
            <input value={moreTurns} size={4} onChange={(event) => setMoreTurns(event.target.value)} />
          </label>
        )}
        <button
          type="button"
          className="primary"
          disabled={delivery === null || send.isPending || comments.some((comment) => comment.text.trim() === '')}
          onClick={() => send.mutate()}
        >
          {delivery === 'continue' ? 'Send to Claude and continue' : 'Send to Claude'}
        </button>
        {delivery === null && <span className="hint">This goal cannot take notes now (start or resume it first).</span>}
      </div>
      {send.error !== null && (
        <p role="alert" className="error-text">
          {failureText(send)}
        </p>
      )}
    </section>
  );
}
