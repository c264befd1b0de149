// A tool call in the timeline, one card: the tool and its main argument (paths relative to the
// workspace), the decision chip of its permission request (or the approval card itself while it
// waits for you), a mini-diff for Edit and Write, the input on demand, and its result (collapsed;
// the full text loaded from the transcript when it was cut).
import type { TimelineRow, ToolPermission, ToolResultPreview } from '../../state/timeline-rows';
import { workspaceRelative } from '../../../shared/workspace-paths';
import { useGoalWorkspacePath, usePendingPermissions } from '../../state/queries';
import { rowDetail, updateRowDetail, useRowDetails } from '../../state/row-details';
import { ApprovalCard } from '../inbox/ApprovalCard';
import '../../styles/approval.css';
import { DecisionChip, EditedFields } from './DecisionChip';
import { ExpandableText } from './ExpandableText';
import { loadEventText, loadToolResult } from './full-text';
import { MiniDiff } from './MiniDiff';

type ToolRowData = Extract<TimelineRow, { kind: 'tool' }>;

const FILE_TOOLS = new Set(['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

function ResultView({
  goalId,
  seq,
  turnIndex,
  toolUseId,
  result,
}: {
  goalId: string;
  seq: number;
  turnIndex: number | null;
  toolUseId: string;
  result: ToolResultPreview;
}) {
  return (
    <div className="tool-result" data-testid="tool-result">
      <span className={`result-label${result.isError ? ' tone-error' : ''}`}>
        {result.isError ? 'error' : 'result'}
      </span>
      <ExpandableText
        detailKey={`${goalId}:${seq}:result`}
        text={result.content === '' ? '(empty)' : result.content}
        clipped={result.clipped}
        noun="result"
        tone={result.isError ? 'error' : null}
        load={() =>
          turnIndex === null
            ? Promise.reject(new Error('this result has no turn'))
            : loadToolResult(goalId, turnIndex, toolUseId)
        }
      />
    </div>
  );
}

/** The approval card of a request still waiting, in place; the a/d keys go to the goal's oldest one. */
export function PendingApproval({ requestId, goalId }: { requestId: string; goalId: string }) {
  const pending = usePendingPermissions();
  const record = pending.data?.find((candidate) => candidate.request.id === requestId);
  if (record === undefined)
    return (
      <span className="hint">
        {pending.isPending || pending.isFetching ? 'loading the request…' : 'no longer waiting: decided elsewhere'}
      </span>
    );
  const oldest = pending.data?.find((candidate) => candidate.request.goalId === goalId);
  return <ApprovalCard record={record} keys={oldest?.request.id === requestId} />;
}

function PermissionState({ permission, running }: { permission: ToolPermission | null; running: boolean }) {
  if (permission === null) return running ? <span className="hint">running…</span> : null;
  if (permission.decision === null) {
    return (
      <span className="decision-chip chip-waiting" data-testid="permission-decision">
        waiting for you
      </span>
    );
  }
  return (
    <>
      <DecisionChip decision={permission.decision} />
      {running && permission.decision.allowed && <span className="hint">running…</span>}
    </>
  );
}

export function ToolRow({ row, goalId }: { row: ToolRowData; goalId: string }) {
  const inputKey = `${goalId}:${row.seq}:input`;
  const inputOpen = useRowDetails(rowDetail(inputKey)).expanded;
  const workspace = useGoalWorkspacePath(goalId);
  const summary = FILE_TOOLS.has(row.name) ? workspaceRelative(row.summary, workspace) : row.summary;
  const waiting = row.permission !== null && row.permission.decision === null;
  return (
    <div className={`row-tool${waiting ? ' waiting' : ''}`} data-tool-use-id={row.toolUseId}>
      <div className="row-line">
        <span className="tool-name">{row.name}</span>
        <span className="mono one-line" title={row.summary}>
          {summary}
        </span>
        <button
          type="button"
          className="link-button"
          aria-expanded={inputOpen}
          onClick={() => updateRowDetail(inputKey, { expanded: !inputOpen })}
        >
          {inputOpen ? 'Hide input' : 'Show input'}
        </button>
        <PermissionState permission={row.permission} running={row.result === null} />
      </div>
      {row.permission?.decision != null && <EditedFields decision={row.permission.decision} />}
      {row.change !== null && !waiting && <MiniDiff change={row.change} workspace={workspace} />}
      {inputOpen && (
        <ExpandableText
          detailKey={`${inputKey}:full`}
          text={row.input}
          clipped={row.clipped}
          noun="input"
          lines={30}
          load={() => loadEventText(goalId, row.seq)}
        />
      )}
      {waiting && row.permission !== null && <PendingApproval requestId={row.permission.requestId} goalId={goalId} />}
      {row.result !== null && (
        <ResultView
          goalId={goalId}
          seq={row.seq}
          turnIndex={row.turnIndex}
          toolUseId={row.toolUseId}
          result={row.result}
        />
      )}
    </div>
  );
}

export function OrphanResultRow({
  row,
  goalId,
}: {
  row: Extract<TimelineRow, { kind: 'tool_result' }>;
  goalId: string;
}) {
  return (
    <div className="row-tool">
      <div className="row-line">
        <span className="tool-name">result</span>
        <span className="hint">of an earlier call ({row.toolUseId.slice(0, 14)})</span>
      </div>
      <ResultView
        goalId={goalId}
        seq={row.seq}
        turnIndex={row.turnIndex}
        toolUseId={row.toolUseId}
        result={row.result}
      />
    </div>
  );
}
