// How the timeline's virtual list lays rows out before they are measured: each row's estimated height.
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
