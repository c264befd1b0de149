// One timeline row by kind: a turn header, Claude's text, a tool call (with its permission request
// and decision), a request or decision whose call is not loaded, the turn's diff stat, the
// attempt's outcome, acceptance results, notes.
import { memo } from 'react';
import { DiffStatText } from '../../components/bits';
import { formatCost, formatDuration, formatTime, formatTokens, turnNumber } from '../../lib/format';
import { openTurnDiff } from '../../state/diff-dialog';
import type { TimelineRow } from '../../state/timeline-rows';
import { workspaceRelative } from '../../../shared/workspace-paths';
import { DecisionChip, EditedFields } from './DecisionChip';
import { ExpandableText } from './ExpandableText';
import { loadEventText } from './full-text';
import { OrphanResultRow, PendingApproval, ToolRow } from './ToolRow';
import { useGoalWorkspacePath } from '../../state/queries';

function PermissionRow({ row, goalId }: { row: Extract<TimelineRow, { kind: 'permission' }>; goalId: string }) {
  const workspace = useGoalWorkspacePath(goalId);
  return (
    <div className="row-tool">
      <div className="row-line row-permission">
        <span className="tool-name">{row.toolName}</span>
        <span className="mono one-line">{workspaceRelative(row.summary, workspace)}</span>
        {row.decision === null ? (
          <span className="decision-chip chip-waiting" data-testid="permission-decision">
            waiting for you
          </span>
        ) : (
          <DecisionChip decision={row.decision} />
        )}
      </div>
      {row.decision !== null && <EditedFields decision={row.decision} />}
      {row.decision === null && <PendingApproval requestId={row.requestId} goalId={goalId} />}
    </div>
  );
}

function RowBody({ row, goalId }: { row: TimelineRow; goalId: string }) {
  const load = () => loadEventText(goalId, row.seq);
  const key = `${goalId}:${row.seq}:text`;
  switch (row.kind) {
    case 'turn':
      return (
        <div className="row-turn">
          <h3>
            {row.compact ? `Compact turn ${turnNumber(row.turn)}` : `Turn ${turnNumber(row.turn)}`}{' '}
            <span className="hint">{formatTime(row.at)}</span>
          </h3>
          {row.prompt !== '' && (
            <ExpandableText
              detailKey={key}
              text={row.prompt}
              clipped={row.clipped}
              noun="prompt"
              lines={1}
              load={load}
            />
          )}
        </div>
      );
    case 'text':
      return (
        <div className={row.thinking ? 'row-text thinking' : 'row-text'}>
          {row.thinking && <span className="hint">thinking</span>}
          <ExpandableText
            detailKey={key}
            text={row.text}
            clipped={row.clipped}
            noun="message"
            mono={false}
            lines={8}
            load={load}
          />
        </div>
      );
    case 'tool':
      return <ToolRow row={row} goalId={goalId} />;
    case 'tool_result':
      return <OrphanResultRow row={row} goalId={goalId} />;
    case 'permission':
      return <PermissionRow row={row} goalId={goalId} />;
    case 'decision':
      return (
        <div className="row-line row-permission">
          <span className="tool-name">{row.toolName}</span>
          <DecisionChip decision={row.decision} />
          <EditedFields decision={row.decision} />
        </div>
      );
    case 'diff':
      return (
        <div className="row-line row-diff" data-testid="turn-diff-row" data-turn={row.turn}>
          <span>Changes in turn {turnNumber(row.turn)}:</span>
          <DiffStatText files={row.files} added={row.added} removed={row.removed} />
          {row.files > 0 && (
            <button type="button" onClick={() => openTurnDiff(goalId, row.turn)}>
              Open diff of turn {turnNumber(row.turn)}
            </button>
          )}
        </div>
      );
    case 'attempt':
      return (
        <div className={`row-line row-attempt tone-${row.tone}`}>
          <span>
            Turn {row.turnIndex === null ? '?' : turnNumber(row.turnIndex)} ended: {row.outcome}
          </span>
          <span className="hint">
            {formatTokens(row.tokens)} tokens · {formatCost(row.costUsd)}
            {row.denials > 0 ? ` · ${row.denials} denied` : ''}
          </span>
        </div>
      );
    case 'acceptance':
      return (
        <div className={`row-acceptance tone-${row.met ? 'good' : 'warn'}`}>
          <span>
            {row.met ? 'Acceptance met' : 'Acceptance not met'}{' '}
            <span className="hint">({formatDuration(row.elapsedMs)})</span>
          </span>
          {row.failures.length > 0 && (
            <ul>
              {row.failures.map((failure, index) => (
                <li key={index} className="mono">
                  {failure}
                </li>
              ))}
            </ul>
          )}
        </div>
      );
    case 'note':
      return (
        <div className={`row-note tone-${row.tone}`}>
          <span className="note-label">{row.label}</span>
          {row.text !== '' && (
            <ExpandableText
              detailKey={key}
              text={row.text}
              clipped={row.clipped}
              noun="text"
              mono={false}
              lines={3}
              load={load}
            />
          )}
        </div>
      );
  }
}

export const TimelineRowView = memo(function TimelineRowView({ row, goalId }: { row: TimelineRow; goalId: string }) {
  const inTurn = row.turnIndex !== null && row.kind !== 'turn';
  return (
    <div
      className={`row row-${row.kind}${inTurn ? ' in-turn' : ''}`}
      data-testid="timeline-row"
      data-kind={row.kind}
      data-seq={row.seq}
    >
      <RowBody row={row} goalId={goalId} />
    </div>
  );
});
