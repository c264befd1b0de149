// Stored permission rules: what each allows or denies, where, and a Delete for each.
import type { PermissionRule } from '../../../shared/domain/permission';
import { ErrorText, Loading } from '../../components/bits';
import { call } from '../../lib/command';
import { formatDateTime, shortPath } from '../../lib/format';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys, useRules } from '../../state/queries';

function scopeLabel(rule: PermissionRule): string {
  switch (rule.scope.kind) {
    case 'goal':
      return `goal ${rule.scope.goalId.slice(0, 8)}`;
    case 'repository':
      return `repository ${shortPath(rule.scope.repoPath, 3)}`;
    case 'everywhere':
      return 'everywhere';
  }
}

export function RulesList() {
  const rules = useRules();
  const remove = useCommandMutation({
    mutationFn: (ruleId: string) => call('rule.delete', { ruleId }),
    invalidate: [queryKeys.rules],
  });
  if (rules.isPending) return <Loading label="Loading rules…" />;
  if (rules.error !== null) return <ErrorText error={rules.error} />;
  return (
    <>
      {remove.error !== null && (
        <p role="alert" className="error-text">
          {failureText(remove)}
        </p>
      )}
      {rules.data.length === 0 ? (
        <p className="muted">No stored rules. “Always allow” in the inbox creates them.</p>
      ) : (
        <table className="rules-table" aria-label="Stored rules">
          <thead>
            <tr>
              <th scope="col">Decision</th>
              <th scope="col">Tool</th>
              <th scope="col">Pattern</th>
              <th scope="col">Scope</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.data.map((rule) => (
              <tr key={rule.id} data-testid="rule-row">
                <td>{rule.decision}</td>
                <td className="mono">{rule.tool}</td>
                <td className="mono">{rule.pattern ?? 'any input'}</td>
                <td>{scopeLabel(rule)}</td>
                <td>{formatDateTime(rule.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    disabled={remove.isPending}
                    aria-label={`Delete rule ${rule.decision} ${rule.tool} ${rule.pattern ?? 'any input'}`}
                    onClick={() => remove.mutate(rule.id)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
