// How the timeline's virtual list lays rows out before they are measured: each row's estimated
// height (worked out once per row, not on every ask nor for every row on every page) and where the
// list keeps its place.
import type { TimelineRow } from '../../state/timeline-rows';
import type { ToolResultPreview } from '../../state/timeline-row-types';

// Measured heights (px) of the rows' parts in the console's styles: a mono line (results, diffs,
// prompts), a prose line (Claude's messages), the "Show full …" line under a long text, a tool
// call's header line, and the fixed rows. A row estimated at its real height is never re-laid out
// when it is measured, so paging older entries in moves nothing and costs no reflow.
const MONO_LINE = 15;
const PROSE_LINE = 16;
const ACTIONS_LINE = 14;
const TOOL_HEADER = 26;
const APPROVAL_CARD = 420;
const EDGE_LINE = 26;
/** Characters that fit a line of the timeline at a usual window width (wrapping is estimated). */
const MONO_PER_LINE = 130;
const PROSE_PER_LINE = 120;
const MINI_DIFF_LINES = 12;

/** Lines `text` takes when wrapped at `perLine` characters, counting no further than `cap`. */
function wrappedLines(text: string, perLine: number, cap: number): number {
  let lines = 0;
  let from = 0;
  while (lines < cap) {
    const end = text.indexOf('\n', from);
    const length = (end < 0 ? text.length : end) - from;
    lines += Math.max(1, Math.ceil(length / perLine));
    if (end < 0) break;
    from = end + 1;
  }
  return Math.min(lines, cap);
}

/** Height of a collapsed ExpandableText: up to `lines` lines, and its "Show full" line when it is long. */
function collapsedText(text: string, clipped: boolean, lines: number, lineHeight: number, perLine: number): number {
  const trimmed = text.trimEnd();
  const shown = wrappedLines(trimmed, perLine, lines);
  // As ExpandableText decides whether to offer the full text.
  const long =
    clipped || wrappedLines(trimmed, Number.POSITIVE_INFINITY, lines + 1) > lines || text.length > lines * 120;
  return shown * lineHeight + (long ? ACTIONS_LINE : 0);
}

function miniDiffHeight(before: string, after: string): number {
  const lines =
    (before === '' ? 0 : wrappedLines(before, Number.POSITIVE_INFINITY, MINI_DIFF_LINES + 1)) +
    wrappedLines(after, Number.POSITIVE_INFINITY, MINI_DIFF_LINES + 1);
  return 3 + Math.min(MINI_DIFF_LINES, lines) * MONO_LINE + (lines > MINI_DIFF_LINES ? MONO_LINE : 0);
}

function resultHeight(result: ToolResultPreview): number {
  return collapsedText(result.content === '' ? '(empty)' : result.content, result.clipped, 4, MONO_LINE, MONO_PER_LINE);
}

/** Height (px) a row is laid out at until it is rendered and measured. */
export function estimateRow(row: TimelineRow | undefined): number {
  if (row === undefined) return 40;
  switch (row.kind) {
    case 'turn':
      return 36 + (row.prompt === '' ? 0 : collapsedText(row.prompt, row.clipped, 1, MONO_LINE, MONO_PER_LINE));
    case 'text':
      return 8 + (row.thinking ? PROSE_LINE : 0) + collapsedText(row.text, row.clipped, 8, PROSE_LINE, PROSE_PER_LINE);
    case 'tool': {
      // A call waiting for approval shows the approval card in place.
      if (row.permission !== null && row.permission.decision === null) return TOOL_HEADER + APPROVAL_CARD;
      return (
        TOOL_HEADER +
        (row.change === null ? 0 : miniDiffHeight(row.change.before, row.change.after)) +
        (row.result === null ? 0 : resultHeight(row.result))
      );
    }
    case 'permission':
      return row.decision === null ? TOOL_HEADER + APPROVAL_CARD : TOOL_HEADER;
    case 'tool_result':
      return TOOL_HEADER + resultHeight(row.result);
    case 'acceptance':
      return 26 + row.failures.length * MONO_LINE;
    case 'attempt':
      return 24;
    case 'diff':
      return 34;
    case 'note':
      return (
        8 +
        Math.max(MONO_LINE, row.text === '' ? 0 : collapsedText(row.text, row.clipped, 3, MONO_LINE, PROSE_PER_LINE))
      );
    default:
      return 24;
  }
}

/**
 * Estimates worked out so far, by row. A row is never changed in place (a result or a decision
 * that completes it makes a new row), so its estimate holds for as long as the row exists; and a
 * row dropped with its timeline drops its entry.
 */
const estimated = new WeakMap<TimelineRow, number>();

function cachedEstimate(row: TimelineRow): number {
  let height = estimated.get(row);
  if (height === undefined) {
    height = estimateRow(row);
    estimated.set(row, height);
  }
  return height;
}

/**
 * The rows' estimated heights, in row order. The virtualizer asks again for every row below a
 * newly measured one, so in a 100k history an estimate computed per ask costs millions of calls;
 * and every older page makes a new rows array, so each row's own estimate is kept (see `estimated`)
 * and only the page's new rows are worked out.
 */
export function rowEstimates(rows: readonly TimelineRow[]): Float64Array {
  const estimates = new Float64Array(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    estimates[index] = row === undefined ? estimateRow(undefined) : cachedEstimate(row);
  }
  // The first row carries the list's edge line ("Scroll up for older entries", "Beginning of the goal").
  if (rows.length > 0) estimates[0] = (estimates[0] ?? 0) + EDGE_LINE;
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
