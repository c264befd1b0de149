// A text shown collapsed (a few lines), expandable in place; when the stored preview was cut,
// expanding loads the full text from the host (a very long one is shown virtualized). Its state
// lives in row-details, so it survives the row being scrolled out of the virtual window and back.
import { loadFullText, rowDetail, updateRowDetail, useRowDetails } from '../../state/row-details';
import { VIRTUALIZE_FROM_LINES, VirtualLines } from './VirtualLines';

interface ExpandableTextProps {
  detailKey: string;
  text: string;
  clipped: boolean;
  /** What to call it in button names: "result", "message", "input". */
  noun: string;
  load: () => Promise<string>;
  mono?: boolean;
  tone?: 'error' | null;
  /** Lines visible when collapsed. */
  lines?: number;
}

function lineCountAtLeast(text: string, count: number): boolean {
  let seen = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (++seen >= count) return true;
  return false;
}

export function ExpandableText({
  detailKey,
  text,
  clipped,
  noun,
  load,
  mono = true,
  tone = null,
  lines = 4,
}: ExpandableTextProps) {
  const detail = useRowDetails(rowDetail(detailKey));
  const lineCount = text.trimEnd().split('\n').length;
  const long = clipped || lineCount > lines || text.length > lines * 120;
  const shown = detail.expanded ? (detail.full ?? text) : text;
  const className = `${mono ? 'pre' : 'prose'}${tone === 'error' ? ' tone-error' : ''}${detail.expanded ? ' expanded' : ' collapsed'}`;
  const virtual =
    detail.expanded && mono && detail.full !== null && lineCountAtLeast(detail.full, VIRTUALIZE_FROM_LINES);
  return (
    <div className="expandable">
      {virtual && detail.full !== null ? (
        <VirtualLines text={detail.full} label={`Full ${noun}`} tone={tone} />
      ) : (
        <div className={className} style={detail.expanded ? undefined : { WebkitLineClamp: lines }}>
          {shown}
          {detail.expanded && clipped && detail.full === null && !detail.loading && '…'}
        </div>
      )}
      {long && (
        <div className="expandable-actions">
          {!detail.expanded ? (
            <button
              type="button"
              className="link-button"
              aria-expanded={false}
              onClick={() =>
                clipped ? void loadFullText(detailKey, load) : updateRowDetail(detailKey, { expanded: true })
              }
            >
              Show full {noun}
            </button>
          ) : (
            <button
              type="button"
              className="link-button"
              aria-expanded={true}
              onClick={() => updateRowDetail(detailKey, { expanded: false })}
            >
              Collapse {noun}
            </button>
          )}
          {detail.loading && <span className="hint">loading…</span>}
          {detail.error !== null && (
            <span role="alert" className="error-text">
              {detail.error}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
