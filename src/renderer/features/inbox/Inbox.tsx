// The permission inbox: one queue across all goals, oldest first, each prompt shown as the same
// approval card the goal's timeline shows. Keyboard: j/k or the arrows move, a allows, d denies
// (focuses the message field), Escape closes.
import { useEffect, useEffectEvent, useState } from 'react';
import type { PermissionRecord } from '../../../shared/domain/permission';
import { Dialog } from '../../components/Dialog';
import { ErrorText, Loading } from '../../components/bits';
import { clip, formatTime } from '../../lib/format';
import { toolSummary } from '../../../shared/tool-input';
import { toolRisks } from '../../../shared/tool-risk';
import { useGoals, usePendingPermissions } from '../../state/queries';
import { setInboxOpen } from '../../state/route';
import { ApprovalCard } from './ApprovalCard';

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement || target instanceof HTMLSelectElement
  );
}

/** The list's hint that a prompt carries risk badges (the card names them). */
function RiskMarker({ record }: { record: PermissionRecord }) {
  const risks = toolRisks(record.request.toolName, record.request.input, null);
  if (risks.length === 0) return null;
  return (
    <span className="risk-marker" title={risks.map((risk) => risk.label).join(', ')}>
      {' '}
      ⚠ {risks.map((risk) => risk.label).join(', ')}
    </span>
  );
}

export function Inbox() {
  const pending = usePendingPermissions();
  const goals = useGoals();
  const [selected, setSelected] = useState(0);
  const records = pending.data ?? [];
  const index = Math.min(selected, Math.max(0, records.length - 1));
  const current = records[index];
  const goalLabel = (goalId: string): string =>
    goals.data?.find((goal) => goal.id === goalId)?.description ?? `goal ${goalId.slice(0, 8)}`;

  const onKey = (event: KeyboardEvent): void => {
    if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'j':
      case 'ArrowDown':
        event.preventDefault();
        setSelected(Math.min(records.length - 1, index + 1));
        break;
      case 'k':
      case 'ArrowUp':
        event.preventDefault();
        setSelected(Math.max(0, index - 1));
        break;
      default:
        break;
    }
  };
  // On the window, not the dialog: after a decision the focused button may be gone (focus falls
  // back to the body) and the keys must still work while the inbox is open.
  const onKeyEvent = useEffectEvent(onKey);
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => onKeyEvent(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  return (
    <Dialog title="Permission inbox" size="tall" onClose={() => setInboxOpen(false)}>
      <p className="hint keys-hint">j/k or ↑/↓ move · a allow · d deny (write the message) · Esc close</p>
      {pending.isPending && <Loading label="Loading requests…" />}
      <ErrorText error={pending.error} />
      {pending.data !== undefined && records.length === 0 && (
        <p className="muted empty-inbox">Nothing waiting for you.</p>
      )}
      {records.length > 0 && (
        <div className="inbox">
          <ul role="listbox" aria-label="Pending requests" className="inbox-list">
            {records.map((record, position) => (
              <li
                key={record.request.id}
                role="option"
                aria-selected={position === index}
                className={position === index ? 'selected' : ''}
                onClick={() => setSelected(position)}
              >
                <span className="tool-name">
                  {record.request.toolName}
                  <RiskMarker record={record} />
                </span>
                <span className="mono one-line">
                  {clip(toolSummary(record.request.toolName, record.request.input), 80)}
                </span>
                <span className="hint one-line">
                  {clip(goalLabel(record.request.goalId), 50)} · {formatTime(record.request.createdAt)}
                </span>
              </li>
            ))}
          </ul>
          {current !== undefined && (
            <ApprovalCard
              key={current.request.id}
              record={current}
              goalLabel={goalLabel(current.request.goalId)}
              keys={true}
            />
          )}
        </div>
      )}
    </Dialog>
  );
}
