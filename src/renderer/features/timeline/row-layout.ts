// How the timeline's virtual list lays rows out before they are measured: each row's estimated
// height (worked out once per rows change, not on every ask) and where the list keeps its place.
import type { TimelineRow } from '../../state/timeline-rows';

/** Height (px) a row is laid out at until it is rendered and measured. */
export function estimateRow(row: TimelineRow | undefined): number {
  if (row === undefined) return 40;
  switch (row.kind) {
    case 'turn':
      return 58;
    case 'text':
      return 28 + Math.min(12, Math.ceil(row.text.length / 110)) * 19;
    case 'tool': {
      // A call waiting for approval shows the approval card in place.
      if (row.permission !== null && row.permission.decision === null) return 420;
      return (row.result === null ? 40 : 96) + (row.change === null ? 0 : 110);
    }
    case 'permission':
      return row.decision === null ? 420 : 38;
    case 'tool_result':
      return 90;
    case 'acceptance':
      return 40 + row.failures.length * 19;
    default:
      return 38;
  }
}

/**
 * The rows' estimated heights, in row order. The virtualizer asks again for every row below a
 * newly measured one, so in a 100k history an estimate computed per ask costs millions of calls.
 */
export function rowEstimates(rows: readonly TimelineRow[]): Float64Array {
  const estimates = new Float64Array(rows.length);
  for (let index = 0; index < rows.length; index += 1) estimates[index] = estimateRow(rows[index]);
  return estimates;
}

/**
 * Where the list keeps its place when rows change or are measured: at the end while older pages
 * may still be prepended (the view stays on the rows it showed) or while the operator sits at the
 * newest entry (it follows new ones); at the start otherwise. Anchored to the end, the virtualizer
 * re-lays every row below each newly measured one to learn whether it is still at the end, which
 * makes scrolling the middle of a fully loaded long history cost O(rows) per row shown.
 */
export function anchorFor(hasOlder: boolean, atEnd: boolean): 'start' | 'end' {
  return hasOlder || atEnd ? 'end' : 'start';
}

/** How close (px) to the newest entry counts as being at it. */
export const AT_END_PX = 48;

/**
 * Whether the view sits at the end of the list, worked out from the virtual list's own figures
 * (its laid-out height, the viewport's height and the scroll offset it last saw) rather than by
 * reading the element's scrollHeight, which forces a layout on every scroll frame.
 */
export function nearEnd(totalSize: number, viewportHeight: number, scrollOffset: number): boolean {
  return totalSize - viewportHeight - scrollOffset <= AT_END_PX;
}
