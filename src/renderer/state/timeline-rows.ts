// The timeline's compact form: each stored driver event becomes at most one small row (long texts
// cut to a preview; the full text is loaded on demand), so a goal with 100,000 events stays light.
// A tool call is one card: its permission request, the decision and its result fold into the row
// of the call when that row is loaded (in whichever order the call and the request were logged);
// otherwise they stand as rows of their own. Internal states are said in plain words.
import type { LoggedEvent } from '../../shared/domain/views';
import { convertEvent } from './timeline-convert';
import type { RowPatch, TimelineRow } from './timeline-row-types';

export * from './timeline-row-types';
export { convertEvent, outcomeLabel } from './timeline-convert';

/** Index of the row with sequence number `seq` (rows are sorted by seq), or -1. */
export function indexOfSeq(rows: readonly TimelineRow[], seq: number): number {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = rows[mid]?.seq ?? 0;
    if (at === seq) return mid;
    if (at < seq) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * Adds the rows of a batch of events (oldest first, all newer than `rows`) to `rows` in place.
 * `pairs` maps pair keys (tool call, permission request) to the seq of their row, so a later
 * result or decision completes that row instead of adding one.
 */
export function appendEvents(rows: TimelineRow[], pairs: Map<string, number>, events: readonly LoggedEvent[]): void {
  for (const logged of events) {
    const converted = convertEvent(logged);
    if (converted === null) continue;
    if ('patch' in converted) {
      applyPatch(rows, pairs, converted.patch);
      continue;
    }
    let row = converted.row;
    if (converted.absorb !== undefined) row = absorbPermission(rows, pairs, converted.absorb, row);
    if (converted.pairKey !== null) pairs.set(converted.pairKey, row.seq);
    rows.push(row);
  }
}

function applyPatch(rows: TimelineRow[], pairs: Map<string, number>, patch: RowPatch): void {
  const seq = pairs.get(patch.key);
  const index = seq === undefined ? -1 : indexOfSeq(rows, seq);
  const target = rows[index];
  if (target === undefined) {
    const fallback = patch.fallback();
    rows.push(fallback);
    for (const key of patch.fallbackKeys ?? []) pairs.set(key, fallback.seq);
    return;
  }
  rows[index] = patch.apply(target);
  if (patch.keep !== true) pairs.delete(patch.key);
  if (patch.alsoPair !== undefined) pairs.set(patch.alsoPair, target.seq);
}

/** A tool call logged after its permission request: the request's row is folded into the call's. */
function absorbPermission(rows: TimelineRow[], pairs: Map<string, number>, key: string, row: TimelineRow): TimelineRow {
  const seq = pairs.get(key);
  if (seq === undefined) return row;
  pairs.delete(key);
  const index = indexOfSeq(rows, seq);
  const waiting = rows[index];
  if (waiting?.kind !== 'permission' || row.kind !== 'tool') return row;
  rows.splice(index, 1);
  if (waiting.decision === null) pairs.set(`perm:${waiting.requestId}`, row.seq);
  return { ...row, permission: { requestId: waiting.requestId, decision: waiting.decision } };
}
