// The Land panel beside a goal's cumulative changes: an editable commit message drafted from the
// goal; Commit on the goal's branch, Merge into the base (squash by default), Rebase onto the base
// (conflicts listed per file with their kind, the note can be handed to Claude), Push + pull
// request (or what is missing), Open the folder; after landing, the landed commit and "Clean up".
// In-place goals: Commit, Open.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LandPreview } from '../../../shared/commands/land';
import type { FileConflict } from '../../../shared/domain/landing';
import { ErrorText, Loading } from '../../components/bits';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';
import { RebaseConflicts } from './RebaseConflicts';

function OpenButtons({ goalId, path }: { goalId: string; path: string }) {
  const [result, setResult] = useState<string | null>(null);
  const open = useCommandMutation({
    mutationFn: (target: 'editor' | 'terminal' | 'folder') => call('goal.open', { goalId, target }),
    onSuccess: (answer) => setResult(answer.message),
  });
  const [copied, setCopied] = useState(false);
  return (
    <div className="land-open">
      <code className="land-path" data-testid="land-path">
        {path}
      </code>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(path).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy path'}
      </button>
      <button type="button" disabled={open.isPending} onClick={() => open.mutate('editor')}>
        Open in editor
      </button>
      <button type="button" disabled={open.isPending} onClick={() => open.mutate('terminal')}>
        Open terminal
      </button>
      <button type="button" disabled={open.isPending} onClick={() => open.mutate('folder')}>
        Open folder
      </button>
      {result !== null && <span className="hint">{result}</span>}
      {open.error !== null && <p className="error-text">{failureText(open)}</p>}
    </div>
  );
}

function Panel({ goalId, preview }: { goalId: string; preview: LandPreview }) {
  const [message, setMessage] = useState(preview.draftMessage);
  const [squash, setSquash] = useState(true);
  const [conflicts, setConflicts] = useState<{ onto: string; files: FileConflict[]; note: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // A new draft from the host (the goal moved on) replaces the message being edited.
  const [draft, setDraft] = useState(preview.draftMessage);
  if (draft !== preview.draftMessage) {
    setDraft(preview.draftMessage);
    setMessage(preview.draftMessage);
  }
  const keys = [queryKeys.land(goalId), queryKeys.goal(goalId), queryKeys.cumulativeDiff(goalId)];
  const landed = { invalidate: keys, onSuccess: (answer: { message: string }) => setDone(answer.message) };
  const commit = useCommandMutation({
    mutationFn: () => call('land.commit', { goalId, message, perTurn: !squash }),
    ...landed,
  });
  const merge = useCommandMutation({ mutationFn: () => call('land.merge', { goalId, message, squash }), ...landed });
  const rebase = useCommandMutation({
    mutationFn: () => call('land.rebase', { goalId }),
    invalidate: keys,
    onSuccess: (answer) => {
      if (answer.ok) {
        setConflicts(null);
        if (answer.landing !== null) setDone(answer.landing.message);
      } else setConflicts({ onto: answer.onto, files: answer.conflicts, note: answer.conflictNote ?? '' });
    },
  });
  const [title = '', ...bodyLines] = message.split('\n');
  const pr = useCommandMutation({
    mutationFn: () =>
      call('land.pr', { goalId, title: title.trim() || 'Work by Claude', body: bodyLines.join('\n').trim() }),
    ...landed,
  });
  const cleanup = useCommandMutation({ mutationFn: () => call('goal.cleanup', { goalId }), ...landed });
  const busy = commit.isPending || merge.isPending || rebase.isPending || pr.isPending || cleanup.isPending;
  const error =
    failureText(commit) ?? failureText(merge) ?? failureText(rebase) ?? failureText(pr) ?? failureText(cleanup);
  const base = preview.baseBranch ?? 'the base branch';
  const blocked = preview.running ? 'The goal is running: landing waits until it ends.' : null;

  return (
    <section className="land-panel" aria-label="Land">
      <h3>Land</h3>
      {preview.landed !== null && (
        <p className="land-landed" data-testid="land-landed">
          <strong>Landed</strong> ({preview.landed.landing.action}): {preview.landed.landing.message}
          {preview.landed.landing.url !== null && (
            <>
              {' '}
              <a href={preview.landed.landing.url} target="_blank" rel="noreferrer">
                {preview.landed.landing.url}
              </a>
            </>
          )}
        </p>
      )}
      <p className="hint">
        {preview.kind === 'worktree'
          ? `Branch ${preview.branch ?? '?'} from ${base}. `
          : `In place on ${preview.branch ?? 'a detached HEAD'}. `}
        {preview.uncommittedFiles} changed file(s) not committed anywhere.
        {preview.baseMoved && ` ${base} moved since the goal started: rebase onto it first, or merge makes a merge.`}
      </p>
      {blocked !== null && <p className="hint">{blocked}</p>}
      <div className="field">
        <label htmlFor={`land-message-${goalId}`}>Commit message</label>
        <textarea
          id={`land-message-${goalId}`}
          rows={6}
          value={message}
          spellCheck={false}
          onChange={(event) => setMessage(event.target.value)}
        />
      </div>
      {preview.kind === 'worktree' && (
        <label className="checkbox">
          <input type="checkbox" checked={squash} onChange={(event) => setSquash(event.target.checked)} /> Squash into
          one commit (else keep one commit per turn)
        </label>
      )}
      <div className="actions land-actions">
        <button
          type="button"
          disabled={busy || blocked !== null || message.trim() === ''}
          onClick={() => commit.mutate()}
        >
          {preview.kind === 'worktree'
            ? `Commit on ${preview.branch ?? 'the branch'}`
            : `Commit on ${preview.branch ?? 'the current branch'}`}
        </button>
        {preview.kind === 'worktree' && (
          <>
            <button
              type="button"
              className="primary"
              disabled={busy || blocked !== null || preview.baseBranch === null || message.trim() === ''}
              onClick={() => merge.mutate()}
            >
              Merge into {base}
            </button>
            <button
              type="button"
              className={preview.baseMoved ? 'primary' : ''}
              disabled={busy || blocked !== null || preview.baseBranch === null}
              onClick={() => rebase.mutate()}
            >
              Rebase onto {base}
            </button>
            <button
              type="button"
              disabled={busy || blocked !== null || preview.prMissing !== null}
              title={preview.prMissing ?? undefined}
              onClick={() => pr.mutate()}
            >
              {preview.prMissing === null
                ? 'Push and open a pull request'
                : `Pull request unavailable: ${preview.prMissing}`}
            </button>
            {preview.landed !== null && (
              <button type="button" disabled={busy || blocked !== null} onClick={() => cleanup.mutate()}>
                Clean up (remove worktree and branch)
              </button>
            )}
          </>
        )}
      </div>
      {done !== null && (
        <p className="land-done" role="status">
          {done}
        </p>
      )}
      {error !== null && <p className="error-text">{error}</p>}
      {conflicts !== null && (
        <RebaseConflicts
          key={conflicts.note}
          goalId={goalId}
          onto={conflicts.onto}
          files={conflicts.files}
          note={conflicts.note}
          running={preview.running}
          invalidate={keys}
        />
      )}
      {preview.workspacePath !== null && <OpenButtons goalId={goalId} path={preview.workspacePath} />}
    </section>
  );
}

export function LandPanel({ goalId }: { goalId: string }) {
  const preview = useQuery({ queryKey: queryKeys.land(goalId), queryFn: () => call('land.preview', { goalId }) });
  if (preview.isPending) return <Loading label="Checking what can be landed…" />;
  if (preview.error !== null) return <ErrorText error={preview.error} />;
  const data = preview.data;
  if (data.kind === 'none') {
    return (
      <section className="land-panel" aria-label="Land">
        <h3>Land</h3>
        {data.landed !== null && (
          <p className="land-landed" data-testid="land-landed">
            <strong>Landed</strong>: {data.landed.landing.message}
          </p>
        )}
        <p className="hint">{data.reason}</p>
      </section>
    );
  }
  return <Panel goalId={goalId} preview={data} />;
}
