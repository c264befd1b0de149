// One permission prompt as a card, the same in the goal's timeline (at the pending call) and in the
// inbox: what Claude just said, the tool and its input (paths relative to the workspace; an Edit or
// Write as a diff of the whole file with its own line numbers), risk badges, and the decisions:
// Allow, Allow with edits, Always allow, Deny with a message, Deny & end turn, Deny & pause goal.
// Keys (when `keys` is set): a allows, d writes the deny message; a newly shown card ignores `a`
// for a moment (see key-guard).
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { PermissionRecord } from '../../../shared/domain/permission';
import { toolRisks } from '../../../shared/tool-risk';
import { call } from '../../lib/command';
import { formatTime, turnNumber } from '../../lib/format';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { useKeyGuard } from '../../lib/key-guard';
import { queryKeys } from '../../state/queries';
import { openGoal, setInboxOpen } from '../../state/route';
import { AlwaysAllowEditor } from './AlwaysAllowEditor';
import { sendDecision, type CardAction } from './decide';
import { EditInput } from './EditInput';
import { RiskBadges } from './RiskBadges';
import { ToolInputView } from './ToolInputView';
import '../../styles/approval.css';

type Mode = 'choose' | 'edit' | 'always';

interface ApprovalCardProps {
  record: PermissionRecord;
  /** Shown in the inbox (cross-goal); the timeline already is the goal. */
  goalLabel?: string;
  /** This card answers the a/d keys. */
  keys: boolean;
  /** Called after a decision was sent. */
  onDecided?: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement || target instanceof HTMLSelectElement
  );
}

export function useApprovalContext(requestId: string) {
  return useQuery({
    queryKey: ['permission', requestId, 'context'],
    queryFn: () => call('permission.context', { requestId }),
    retry: 1,
  });
}

export function ApprovalCard({ record, goalLabel, keys, onDecided }: ApprovalCardProps) {
  const request = record.request;
  const context = useApprovalContext(request.id);
  const contextValue = context.isPending ? undefined : (context.data ?? null);
  const [mode, setMode] = useState<Mode>('choose');
  const [message, setMessage] = useState('');
  const [denyError, setDenyError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  /** An `a` arrived before the card had been on screen long enough (see key-guard). */
  const [keyTooSoon, setKeyTooSoon] = useState(false);
  const denyRef = useRef<HTMLTextAreaElement | null>(null);
  const cardRef = useRef<HTMLElement | null>(null);
  const guard = useKeyGuard(request.id);
  // Unique per card: the same request can be shown in the timeline and the inbox at once.
  const fieldId = useId();
  const decide = useCommandMutation({
    mutationFn: (action: CardAction) => sendDecision(record, action),
    invalidate: [queryKeys.pending, queryKeys.goals, queryKeys.rules, queryKeys.goalPermissions(request.goalId)],
    onSuccess: () => {
      setSent(true);
      onDecided?.();
    },
  });
  const busy = decide.isPending || sent;
  const risks = toolRisks(request.toolName, request.input, contextValue?.workspacePath ?? null);

  const deny = (kind: 'deny' | 'deny_stop' | 'deny_pause'): void => {
    if (message.trim() === '') {
      setDenyError('Tell Claude why (the message is what it reads).');
      denyRef.current?.focus();
      return;
    }
    setDenyError(null);
    decide.mutate({ kind, message: message.trim() });
  };

  const onKey = (event: KeyboardEvent): void => {
    if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey || mode !== 'choose') return;
    // A modal dialog the card is not in (another dialog over the timeline) has the keys.
    const dialog = document.querySelector('dialog[open]');
    if (dialog !== null && (cardRef.current === null || !dialog.contains(cardRef.current))) return;
    if (event.key === 'a') {
      event.preventDefault();
      if (busy) return;
      if (!guard.ready()) return setKeyTooSoon(true);
      setKeyTooSoon(false);
      decide.mutate({ kind: 'allow' });
    } else if (event.key === 'd') {
      event.preventDefault();
      denyRef.current?.focus();
    }
  };
  const onKeyEvent = useEffectEvent(onKey);
  useEffect(() => {
    if (!keys) return;
    // On the window: after a decision the focused button may be gone and the keys must still work.
    const listener = (event: KeyboardEvent): void => onKeyEvent(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [keys]);

  return (
    <article
      ref={cardRef}
      className="approval-card prompt-detail"
      aria-label={`Permission request: ${request.toolName}`}
      data-testid="prompt-detail"
      data-request-id={request.id}
      data-keys={keys ? (guard.armed ? 'armed' : 'waiting') : 'off'}
      data-shown-at={guard.shownAt}
    >
      <header>
        {goalLabel !== undefined && (
          <p className="prompt-goal">
            Goal:{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setInboxOpen(false);
                openGoal(request.goalId);
              }}
            >
              {goalLabel}
            </button>
          </p>
        )}
        <h3>
          Claude wants to use <span className="tool-name">{request.toolName}</span>
          <span className="hint">
            {request.turnIndex !== null && ` · turn ${turnNumber(request.turnIndex)}`} · asked{' '}
            {formatTime(request.createdAt)}
          </span>
        </h3>
        <RiskBadges badges={risks} />
      </header>
      {contextValue?.lastMessage != null && (
        <blockquote className="claude-said" aria-label="Claude's last message" data-testid="claude-said">
          <span className="input-label">Claude said</span>
          <p className="prose">{contextValue.lastMessage}</p>
        </blockquote>
      )}
      {context.error !== null && <p className="hint">Could not read the request's context: {context.error.message}</p>}
      <ToolInputView toolName={request.toolName} input={request.input} context={contextValue} />
      {decide.error !== null && (
        <p role="alert" className="error-text">
          {failureText(decide)}
        </p>
      )}
      {sent && (
        <p className="hint" role="status">
          Sent.
        </p>
      )}
      {mode === 'edit' && (
        <EditInput
          record={record}
          context={contextValue}
          busy={busy}
          onCancel={() => setMode('choose')}
          onAllow={(input) => decide.mutate({ kind: 'allow_edited', input })}
        />
      )}
      {mode === 'always' && (
        <AlwaysAllowEditor
          request={request}
          busy={busy}
          onCancel={() => setMode('choose')}
          onSave={(rule) => decide.mutate({ kind: 'always_allow', rule })}
        />
      )}
      {mode === 'choose' && (
        <>
          <div className="actions allow-actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => decide.mutate({ kind: 'allow' })}
              aria-keyshortcuts={keys ? 'a' : undefined}
            >
              Allow
            </button>
            <button type="button" disabled={busy} onClick={() => setMode('edit')}>
              Allow with edits
            </button>
            <button type="button" disabled={busy} onClick={() => setMode('always')}>
              Always allow…
            </button>
            {keys && (
              <span className="hint keys-state" aria-live="polite" data-testid="keys-state">
                {keyTooSoon
                  ? 'That key came as this prompt appeared, so it was ignored: press a again to allow.'
                  : guard.armed
                    ? 'a allow · d deny'
                    : 'keys wait a moment: look first'}
              </span>
            )}
          </div>
          <div className="deny-box">
            <div className="field">
              <label htmlFor={`${fieldId}-deny`}>Message to Claude</label>
              <textarea
                id={`${fieldId}-deny`}
                ref={denyRef}
                rows={2}
                value={message}
                aria-keyshortcuts={keys ? 'd' : undefined}
                onChange={(event) => setMessage(event.target.value)}
                placeholder="Why not, and what to do instead"
              />
            </div>
            {denyError !== null && (
              <p role="alert" className="error-text">
                {denyError}
              </p>
            )}
            <div className="actions">
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => deny('deny')}
                title="Claude reads the message and the turn goes on"
              >
                Deny
              </button>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => deny('deny_stop')}
                title="Claude reads the message and this turn ends"
              >
                Deny &amp; end turn
              </button>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => deny('deny_pause')}
                title="The goal pauses (no next turn until you resume it) and this turn ends"
              >
                Deny &amp; pause goal
              </button>
            </div>
          </div>
        </>
      )}
    </article>
  );
}
