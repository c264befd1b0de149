// A tool call in the timeline: the tool and its main argument on one line, the input on demand,
// and its result (collapsed; the full text loaded from the transcript when it was cut).
import type { TimelineRow, ToolResultPreview } from '../../state/timeline-rows';
import { rowDetail, updateRowDetail, useRowDetails } from '../../state/row-details';
import { ExpandableText } from './ExpandableText';
import { usePendingPermissions } from '../../state/queries';
import { loadEventText, loadToolResult } from './full-text';

type ToolRowData = Extract<TimelineRow, { kind: 'tool' }>;

function ResultView({ goalId, seq, turnIndex, toolUseId, result }: { goalId: string; seq: number; turnIndex: number | null; toolUseId: string; result: ToolResultPreview }) {
  return (
    <div className="tool-result" data-testid="tool-result">
      <span className={`result-label${result.isError ? ' tone-error' : ''}`}>{result.isError ? 'error' : 'result'}</span>
      <ExpandableText
        detailKey={`${goalId}:${seq}:result`}
        text={result.content === '' ? '(empty)' : result.content}
        clipped={result.clipped}
        noun="result"
        tone={result.isError ? 'error' : null}
        load={() => (turnIndex === null ? Promise.reject(new Error('this result has no turn')) : loadToolResult(goalId, turnIndex, toolUseId))}
      />
    </div>
  );
}

/** An unfinished call: waiting for the operator's approval (a prompt is pending for it), or running. */
function ToolState({ goalId, toolUseId }: { goalId: string; toolUseId: string }) {
  const pending = usePendingPermissions();
  const waiting = (pending.data ?? []).some((record) => record.request.goalId === goalId && record.request.toolUseId === toolUseId);
  return waiting ? <span className="hint tone-warn">waiting for your approval</span> : <span className="hint">running…</span>;
}

export function ToolRow({ row, goalId }: { row: ToolRowData; goalId: string }) {
  const inputKey = `${goalId}:${row.seq}:input`;
  const inputOpen = useRowDetails(rowDetail(inputKey)).expanded;
  return (
    <div className="row-tool">
      <div className="row-line">
        <span className="tool-name">{row.name}</span>
        <span className="mono one-line" title={row.summary}>
          {row.summary}
        </span>
        <button type="button" className="link-button" aria-expanded={inputOpen} onClick={() => updateRowDetail(inputKey, { expanded: !inputOpen })}>
          {inputOpen ? 'Hide input' : 'Show input'}
        </button>
        {row.result === null && <ToolState goalId={goalId} toolUseId={row.toolUseId} />}
      </div>
      {inputOpen && (
        <ExpandableText detailKey={`${inputKey}:full`} text={row.input} clipped={row.clipped} noun="input" lines={30} load={() => loadEventText(goalId, row.seq)} />
      )}
      {row.result !== null && <ResultView goalId={goalId} seq={row.seq} turnIndex={row.turnIndex} toolUseId={row.toolUseId} result={row.result} />}
    </div>
  );
}

export function OrphanResultRow({ row, goalId }: { row: Extract<TimelineRow, { kind: 'tool_result' }>; goalId: string }) {
  return (
    <div className="row-tool">
      <div className="row-line">
        <span className="tool-name">result</span>
        <span className="hint">of an earlier call ({row.toolUseId.slice(0, 14)})</span>
      </div>
      <ResultView goalId={goalId} seq={row.seq} turnIndex={row.turnIndex} toolUseId={row.toolUseId} result={row.result} />
    </div>
  );
}
