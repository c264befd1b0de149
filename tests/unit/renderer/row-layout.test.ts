// The timeline's layout before measuring: estimates computed once per rows change match the
// per-row estimate, and the list anchors to the end only while older pages may still come or
// while the operator follows the newest entry.
import { describe, expect, it } from 'vitest';
import {
  anchorFor,
  AT_END_PX,
  estimateRow,
  nearEnd,
  rowEstimates,
} from '../../../src/renderer/features/timeline/row-layout';
import type { TimelineRow } from '../../../src/renderer/state/timeline-rows';

const base = { at: '2026-11-30T07:00:00.000Z', turnIndex: 0 };

function rows(): TimelineRow[] {
  return [
    { ...base, seq: 1, kind: 'turn', turn: 0, compact: false, prompt: 'go', clipped: false },
    { ...base, seq: 2, kind: 'text', thinking: false, text: 'x'.repeat(500), clipped: false },
    {
      ...base,
      seq: 3,
      kind: 'tool',
      toolUseId: 't1',
      name: 'Bash',
      summary: 'npm test',
      input: '{}',
      clipped: false,
      result: { content: 'ok', isError: false, clipped: false },
      permission: { requestId: 'r1', decision: null },
      change: null,
    },
    { ...base, seq: 4, kind: 'acceptance', met: false, failures: ['a', 'b'], elapsedMs: 10 },
    { ...base, seq: 5, kind: 'note', tone: 'info', label: 'Resumed', text: '', clipped: false },
  ];
}

describe('timeline row layout', () => {
  it('precomputes the same estimate per row as asking row by row', () => {
    const list = rows();
    const estimates = rowEstimates(list);
    expect(Array.from(estimates)).toEqual(list.map((row) => estimateRow(row)));
    expect(Array.from(estimates)).toEqual([58, 28 + 5 * 19, 420, 40 + 2 * 19, 38]);
    expect(rowEstimates([])).toHaveLength(0);
  });

  it('anchors to the end while older pages may come or the operator is at the newest entry', () => {
    expect(anchorFor(true, false)).toBe('end');
    expect(anchorFor(true, true)).toBe('end');
    expect(anchorFor(false, true)).toBe('end');
    expect(anchorFor(false, false)).toBe('start');
  });

  it('is at the end within AT_END_PX of the bottom, from the virtual sizes alone', () => {
    expect(nearEnd(10_000, 900, 9_100)).toBe(true);
    expect(nearEnd(10_000, 900, 9_100 - AT_END_PX)).toBe(true);
    expect(nearEnd(10_000, 900, 9_100 - AT_END_PX - 1)).toBe(false);
    expect(nearEnd(10_000, 900, 0)).toBe(false);
    // A list shorter than its viewport is always at its end.
    expect(nearEnd(300, 900, 0)).toBe(true);
  });
});
