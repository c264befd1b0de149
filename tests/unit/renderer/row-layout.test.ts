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
    // The first row also carries the list's edge line (26 px).
    expect(Array.from(estimates)).toEqual(list.map((row, index) => estimateRow(row) + (index === 0 ? 26 : 0)));
    expect(Array.from(estimates)).toEqual([26 + 51, 8 + 5 * 16, 26 + 420, 26 + 2 * 15, 23]);
    expect(rowEstimates([])).toHaveLength(0);
  });

  it('gives the rows of an earlier array the same estimates once an older page is prepended', () => {
    const newer = rows().slice(2);
    const older = rows().slice(0, 2);
    rowEstimates(newer);
    const both = older.concat(newer);
    // The row that was first no longer carries the edge line; the new first row does.
    expect(Array.from(rowEstimates(both))).toEqual(both.map((row, index) => estimateRow(row) + (index === 0 ? 26 : 0)));
  });

  it('estimates the heights Chromium lays the seeded timeline rows out at (1400 px window)', () => {
    // Measured in the built console (bench/timeline's seeded goal): each row's rendered height.
    const tool = (name: string, result: string, change: boolean, clipped = false): TimelineRow => ({
      ...base,
      seq: 9,
      kind: 'tool',
      toolUseId: 't',
      name,
      summary: 's',
      input: '{}',
      clipped: false,
      result: { content: result, isError: false, clipped },
      permission: null,
      change: change
        ? { path: 'a.ts', before: 'let a = 1;', after: 'const a = 1;', write: false, clipped: false }
        : null,
    });
    const measured: [TimelineRow, number][] = [
      [
        {
          ...base,
          seq: 1,
          kind: 'turn',
          turn: 3,
          compact: false,
          prompt: 'Continue the goal (turn 3).',
          clipped: false,
        },
        51,
      ],
      [
        {
          ...base,
          seq: 2,
          kind: 'text',
          thinking: false,
          text: 'Turn 3, step 2: reading src/module-2.ts and planning the next edit.',
          clipped: false,
        },
        24,
      ],
      [
        {
          ...base,
          seq: 3,
          kind: 'text',
          thinking: true,
          text: 'The failing case needs the parser to accept trailing commas.',
          clipped: false,
        },
        40,
      ],
      [tool('Bash', 'ok 2\nok 2\n', false), 56],
      [tool('Bash', 'ok 2\nok 2\nok 2\n', false), 71],
      [tool('Bash', 'ok 4\n'.repeat(5), false), 100],
      [tool('Bash', `ok 0\n${'x'.repeat(795)}`, false, true), 100],
      [tool('Edit', 'ok 1\n', true), 74],
      [tool('Edit', 'ok 1\nok 1\n', true), 89],
      [tool('Edit', 'ok 3\n'.repeat(4), true), 119],
      [{ ...base, seq: 4, kind: 'diff', turn: 3, files: 1, added: 3, removed: 1 }, 34],
      [
        {
          ...base,
          seq: 5,
          kind: 'attempt',
          outcome: 'continue',
          tone: 'info',
          tokens: 5000,
          costUsd: 0.01,
          denials: 0,
        },
        24,
      ],
      [{ ...base, seq: 6, kind: 'acceptance', met: false, failures: ['npm test: exit 1'], elapsedMs: 1200 }, 41],
      [
        { ...base, seq: 7, kind: 'note', tone: 'warn', label: 'Warning', text: 'note 38 of turn 3', clipped: false },
        23,
      ],
      [{ ...base, seq: 8, kind: 'note', tone: 'info', label: 'Resumed', text: '', clipped: false }, 23],
    ];
    for (const [row, height] of measured)
      expect({ kind: row.kind, height: estimateRow(row) }).toEqual({ kind: row.kind, height });
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
