// The goal's permission log: every request, its decision and who made it (operator, rule by its
// text, mode), and for an allow with edits what was changed (before → after).
import { ErrorText, Loading } from '../../components/bits';
import { clip, formatTime, turnNumber } from '../../lib/format';
import { toolSummary } from '../../../shared/tool-input';
import { useGoalPermissions } from '../../state/queries';
import { setInboxOpen } from '../../state/route';
import { summarizeDecision } from '../../state/decision-words';
import { DecisionChip, EditedFields } from '../timeline/DecisionChip';

function DecisionView({ summary }: { summary: ReturnType<typeof summarizeDecision> }) {
  return (
    <>
      <DecisionChip decision={summary} />
      <EditedFields decision={summary} />
    </>
  );
}

export function GoalPermissions({ goalId }: { goalId: string }) {
  const records = useGoalPermissions(goalId);
  if (records.isPending) return <Loading />;
  if (records.error !== null) return <ErrorText error={records.error} />;
  if (records.data.length === 0) return <p className="muted">No permission requests yet.</p>;
  return (
    <table className="permissions-table" aria-label="Permission requests">
      <thead>
        <tr>
          <th scope="col">Asked</th>
          <th scope="col">Turn</th>
          <th scope="col">Tool</th>
          <th scope="col">Input</th>
          <th scope="col">Decision</th>
        </tr>
      </thead>
      <tbody>
        {records.data.map((record) => (
          <tr key={record.request.id}>
            <td>{formatTime(record.request.createdAt)}</td>
            <td>{record.request.turnIndex === null ? '—' : turnNumber(record.request.turnIndex)}</td>
            <td>{record.request.toolName}</td>
            <td className="mono">{clip(toolSummary(record.request.toolName, record.request.input), 160)}</td>
            <td>
              {record.status === 'pending' ? (
                <button type="button" onClick={() => setInboxOpen(true)}>
                  Waiting: open inbox
                </button>
              ) : record.decision === null || record.decidedBy === null ? (
                record.status
              ) : (
                <DecisionView summary={summarizeDecision(record.decision, record.decidedBy, record.request.input)} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
