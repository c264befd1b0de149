// The timeline built from a page whose long texts the host cut (goal.events with clipTextsAt, as
// the timeline asks for its pages) is the timeline built from the whole events: every row keeps
// the same preview and still says which texts go on, so "Show full" loads the rest.
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../../src/shared/domain/views';
import type { DriverEvent } from '../../../src/shared/events';
import { previewEvent } from '../../../src/main/host/services/event-preview';
import { appendEvents, type TimelineRow } from '../../../src/renderer/state/timeline-rows';
import { PAGE_CLIP_CHARS, PREVIEW_CHARS } from '../../../src/renderer/state/timeline-row-types';
import { ZERO_USAGE as USAGE } from '../../../src/shared/domain/goal';

const goalId = '00000000-0000-4000-8000-000000000001';
const requestId = '00000000-0000-4000-8000-0000000000aa';
const AT = '2026-11-30T07:00:00.000Z';
const LONG = (tag: string, size = 300): string => `${tag}:` + 'abcdefghij\n'.repeat(size) + `END-${tag}`;

function events(): DriverEvent[] {
  const input = { command: LONG('command'), nested: { list: [LONG('item'), 7, 'short'] } };
  const list: DriverEvent[] = [
    { kind: 'attempt_started', goalId, turnIndex: 0, usage: USAGE, compact: false, prompt: LONG('prompt') },
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'text', text: LONG('text') } },
    // Just past the preview, and exactly at it: the edges of "cut".
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'text', text: 'y'.repeat(PREVIEW_CHARS + 1) } },
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'thinking', text: 'z'.repeat(PREVIEW_CHARS) } },
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'tool_use', toolUseId: 'tu1', name: 'Bash', input } },
    {
      kind: 'permission_requested',
      goalId,
      request: { id: requestId, goalId, turnIndex: 0, toolName: 'Bash', toolUseId: 'tu1', input, createdAt: AT },
    },
    {
      kind: 'permission_decided',
      goalId,
      requestId,
      toolName: 'Bash',
      decision: { behavior: 'allow', updatedInput: { ...input, command: `${LONG('command')} --edited` } },
      decidedBy: { kind: 'operator' },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'tool_result', toolUseId: 'tu1', content: LONG('result'), isError: false, truncated: false },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: {
        type: 'tool_use',
        toolUseId: 'tu2',
        name: 'Edit',
        input: { file_path: '/r/a.ts', old_string: LONG('old'), new_string: 'x' },
      },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: {
        type: 'tool_use',
        toolUseId: 'tu3',
        name: 'Grep',
        input: { pattern: LONG('pattern', 100), path: 'src' },
      },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'tool_use', toolUseId: 'tu4', name: 'SomeMcpTool', input: { query: LONG('query', 100) } },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'system', subtype: 'user_message', sessionId: null, detail: LONG('detail') },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'result', subtype: 'error_during_execution', isError: true, text: LONG('error'), costUsd: 0.5 },
    },
    { kind: 'driver_warning', goalId, message: 'a short warning' },
  ];
  return list;
}

function rowsOf(list: DriverEvent[]): TimelineRow[] {
  const logged: LoggedEvent[] = list.map((event, index) => ({ logSeq: index + 1, at: AT, event }));
  const rows: TimelineRow[] = [];
  appendEvents(rows, new Map(), logged);
  return rows;
}

describe('a timeline page with its long texts cut by the host', () => {
  it('gives the same rows as the whole events', () => {
    const whole = events();
    const cut = whole.map((event) => previewEvent(event, PAGE_CLIP_CHARS));
    expect(JSON.stringify(cut).length).toBeLessThan(JSON.stringify(whole).length * 0.6);
    expect(rowsOf(cut)).toEqual(rowsOf(whole));
  });

  it('keeps rows whose text was cut marked as cut, with the preview the row shows', () => {
    const rows = rowsOf(events().map((event) => previewEvent(event, PAGE_CLIP_CHARS)));
    const texts = rows.filter((row) => row.kind === 'text');
    expect(texts.map((row) => (row.kind === 'text' ? [row.text.length, row.clipped] : null))).toEqual([
      [PREVIEW_CHARS, true],
      [PREVIEW_CHARS, true],
      [PREVIEW_CHARS, false],
    ]);
    expect(rows.find((row) => row.kind === 'tool' && row.toolUseId === 'tu1')).toMatchObject({
      clipped: true,
      result: { clipped: true },
      permission: { decision: { allowed: true } },
    });
    expect(rows.find((row) => row.kind === 'turn')).toMatchObject({ clipped: true });
  });
});
