// A permission decision as a chip (allowed / with edits / denied / cancelled while waiting), with
// rules named by their text and, for an allow with edits, what the operator changed (before → after).
import type { PermissionRule } from '../../../shared/domain/permission';
import { useRulesForRows } from '../../state/queries';
import { useThisConsoleName } from '../../state/console-name';
import { decisionText, type DecisionSummary } from '../../state/decision-words';

export function EditedFields({ decision }: { decision: DecisionSummary }) {
  if (!decision.edited) return null;
  return (
    <dl className="edited-fields" aria-label="What the operator changed" data-testid="edited-fields">
      {decision.changes.map((change) => (
        <div key={change.key} className="edited-field">
          <dt className="mono">{change.key}</dt>
          <dd>
            <span className="edited-before">
              <span className="edit-marker" aria-hidden="true">
                −
              </span>
              <span className="visually-hidden">before: </span>
              <span className="mono pre-inline">{change.before ?? '(none)'}</span>
            </span>
            <span className="edited-after">
              <span className="edit-marker" aria-hidden="true">
                +
              </span>
              <span className="visually-hidden">after: </span>
              <span className="mono pre-inline">{change.after ?? '(removed)'}</span>
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function DecisionChip({ decision, rules }: { decision: DecisionSummary; rules?: readonly PermissionRule[] }) {
  const fetched = useRulesForRows();
  const thisConsole = useThisConsoleName();
  const { text, tone } = decisionText(decision, rules ?? fetched.data, thisConsole);
  return (
    <span
      className={`decision-chip chip-${tone}`}
      data-testid="permission-decision"
      title={decision.detail === '' ? undefined : decision.detail}
    >
      {text}
    </span>
  );
}
