// Small shared pieces: error text, a diff stat, a goal status badge, a loading line.
import type { GoalStatus } from '../../shared/domain/goal';

export function ErrorText({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const text = error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="error-text">
      {text}
    </p>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

export function DiffStatText({ files, added, removed }: { files: number; added: number; removed: number }) {
  return (
    <span className="diff-stat" data-testid="diff-stat" data-files={files} data-added={added} data-removed={removed}>
      {files === 0 ? (
        'no file changes'
      ) : (
        <>
          <span>{files === 1 ? '1 file' : `${files} files`}</span> <span className="added">+{added}</span>{' '}
          <span className="removed">−{removed}</span>
        </>
      )}
    </span>
  );
}

const STATUS_LABEL: Record<GoalStatus, string> = {
  pending: 'pending',
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  sleeping: 'sleeping',
  done: 'done',
  budget_exhausted: 'budget exhausted',
  escalated: 'escalated',
  cancelled: 'cancelled',
  failed: 'failed',
  interrupted: 'interrupted',
  setup_failed: 'setup failed',
};

export function statusLabel(status: GoalStatus): string {
  return STATUS_LABEL[status];
}

/** A paused goal waiting at a budget cap reads "paused at cap". */
export function StatusBadge({ status, pausedAtCap = null }: { status: GoalStatus; pausedAtCap?: string | null }) {
  const atCap = status === 'paused' && pausedAtCap !== null;
  return (
    <span className={`badge status-badge status-${status}${atCap ? ' at-cap' : ''}`} data-testid="goal-status">
      {atCap ? 'paused at cap' : STATUS_LABEL[status]}
    </span>
  );
}
