// One permission prompt: which goal, which tool, its input, and the decisions: Allow, Allow with
// edits, Always allow (rule editor), Deny with a message, Deny and stop.
import { useState, type RefObject } from 'react';
import type { OperatorAction } from '../../../shared/commands/permissions';
import type { PermissionRecord } from '../../../shared/domain/permission';
import { formatTime, turnNumber } from '../../lib/format';
import { safeJson, stringField } from '../../../shared/tool-input';
import { openGoal, setInboxOpen } from '../../state/route';
import { AlwaysAllowEditor } from './AlwaysAllowEditor';
import { ToolInputView } from './ToolInputView';

type Mode = 'choose' | 'edit' | 'always';

interface PromptDetailProps {
  record: PermissionRecord;
  goalLabel: string;
  busy: boolean;
  error: string | null;
  denyRef: RefObject<HTMLTextAreaElement | null>;
  onDecide: (action: OperatorAction) => void;
}

function parseEdited(toolName: string, original: Record<string, unknown>, text: string): { ok: true; input: Record<string, unknown> } | { ok: false; error: string } {
  if (toolName === 'Bash') {
    if (text.trim() === '') return { ok: false, error: 'The command is empty.' };
    return { ok: true, input: { ...original, command: text } };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'The input must be a JSON object.' };
    return { ok: true, input: Object.fromEntries(Object.entries(parsed)) };
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function EditInput({ record, busy, onAllow, onCancel }: { record: PermissionRecord; busy: boolean; onAllow: (input: Record<string, unknown>) => void; onCancel: () => void }) {
  const { toolName, input } = record.request;
  const isBash = toolName === 'Bash';
  const [text, setText] = useState(isBash ? (stringField(input, 'command') ?? '') : safeJson(input));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseEdited(toolName, input, text);
        if (!parsed.ok) return setError(parsed.error);
        onAllow(parsed.input);
      }}
    >
      <div className="field">
        <label htmlFor={`edit-${record.request.id}`}>{isBash ? 'Command to run' : 'Input (JSON)'}</label>
        <textarea id={`edit-${record.request.id}`} className="mono" rows={isBash ? 3 : 10} value={text} autoFocus spellCheck={false} onChange={(event) => setText(event.target.value)} />
      </div>
      {error !== null && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Allow edited
        </button>
      </div>
    </form>
  );
}

export function PromptDetail({ record, goalLabel, busy, error, denyRef, onDecide }: PromptDetailProps) {
  const request = record.request;
  const [mode, setMode] = useState<Mode>('choose');
  const [message, setMessage] = useState('');
  const [denyError, setDenyError] = useState<string | null>(null);
  const deny = (kind: 'deny' | 'deny_stop'): void => {
    if (message.trim() === '') {
      setDenyError('Tell Claude why (the message is what it reads).');
      denyRef.current?.focus();
      return;
    }
    setDenyError(null);
    onDecide({ kind, message: message.trim() });
  };
  return (
    <article className="prompt-detail" aria-label={`Permission request: ${request.toolName}`} data-testid="prompt-detail">
      <header>
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
          {request.turnIndex !== null && <span className="hint"> · turn {turnNumber(request.turnIndex)}</span>}
          <span className="hint"> · asked {formatTime(request.createdAt)}</span>
        </p>
        <h3>
          Claude wants to use <span className="tool-name">{request.toolName}</span>
        </h3>
      </header>
      <ToolInputView toolName={request.toolName} input={request.input} />
      {error !== null && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {mode === 'edit' && <EditInput record={record} busy={busy} onCancel={() => setMode('choose')} onAllow={(input) => onDecide({ kind: 'allow_edited', input })} />}
      {mode === 'always' && <AlwaysAllowEditor request={request} busy={busy} onCancel={() => setMode('choose')} onSave={(rule) => onDecide({ kind: 'always_allow', rule })} />}
      {mode === 'choose' && (
        <>
          <div className="actions allow-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => onDecide({ kind: 'allow' })} aria-keyshortcuts="a">
              Allow
            </button>
            <button type="button" disabled={busy} onClick={() => setMode('edit')}>
              Allow with edits
            </button>
            <button type="button" disabled={busy} onClick={() => setMode('always')}>
              Always allow…
            </button>
          </div>
          <div className="deny-box">
            <div className="field">
              <label htmlFor={`deny-${request.id}`}>Message to Claude</label>
              <textarea
                id={`deny-${request.id}`}
                ref={denyRef}
                rows={2}
                value={message}
                aria-keyshortcuts="d"
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
              <button type="button" className="danger" disabled={busy} onClick={() => deny('deny')}>
                Deny
              </button>
              <button type="button" className="danger" disabled={busy} onClick={() => deny('deny_stop')}>
                Deny and stop
              </button>
            </div>
          </div>
        </>
      )}
    </article>
  );
}
