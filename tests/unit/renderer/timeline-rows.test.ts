// The timeline's rows: one card per tool call (its permission request, decision and result folded
// in, whichever was logged first), decisions in plain words (edits with before/after, rules by their
// text, cancelled while waiting), the user's own stop, and mini-diff previews of Edit and Write.
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../../src/shared/domain/views';
import type { DriverEvent } from '../../../src/shared/events';
import type { PermissionRule } from '../../../src/shared/domain/permission';
import { appendEvents, outcomeLabel, PREVIEW_CHARS, type TimelineRow } from '../../../src/renderer/state/timeline-rows';
import { decisionText, summarizeDecision } from '../../../src/renderer/state/decision-words';

const goalId = '00000000-0000-4000-8000-000000000001';
const REQ = '00000000-0000-4000-8000-0000000000a1';
const AT = '2026-11-30T07:00:00.000Z';

function logged(events: DriverEvent[], from = 1): LoggedEvent[] {
  return events.map((event, index) => ({ logSeq: from + index, at: AT, event }));
}

function rowsOf(events: DriverEvent[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  appendEvents(rows, new Map(), logged(events));
  return rows;
}

const toolUse = (id: string, name: string, input: Record<string, unknown>): DriverEvent => ({
  kind: 'turn_output',
  goalId,
  turnIndex: 0,
  entry: { type: 'tool_use', toolUseId: id, name, input },
});
const toolResult = (id: string, content: string): DriverEvent => ({
  kind: 'turn_output',
  goalId,
  turnIndex: 0,
  entry: { type: 'tool_result', toolUseId: id, content, isError: false, truncated: false },
});
const requested = (toolUseId: string, input: Record<string, unknown>, requestId = REQ): DriverEvent => ({
  kind: 'permission_requested',
  goalId,
  request: { id: requestId, goalId, turnIndex: 0, toolName: 'Bash', toolUseId, input, createdAt: AT },
});
const allowed = (
  input: Record<string, unknown>,
  extra: Partial<Extract<DriverEvent, { kind: 'permission_decided' }>> = {},
): DriverEvent => ({
  kind: 'permission_decided',
  goalId,
  requestId: REQ,
  toolName: 'Bash',
  decision: { behavior: 'allow', updatedInput: input },
  decidedBy: { kind: 'operator' },
  ...extra,
});

function only<K extends TimelineRow['kind']>(rows: TimelineRow[], kind: K): Extract<TimelineRow, { kind: K }> {
  expect(rows.map((row) => row.kind)).toEqual([kind]);
  return rows[0] as Extract<TimelineRow, { kind: K }>;
}

describe('one card per tool call', () => {
  const input = { command: 'npm test' };

  it('call, request, decision, result: one tool row with its decision chip', () => {
    const row = only(
      rowsOf([toolUse('t1', 'Bash', input), requested('t1', input), allowed(input), toolResult('t1', 'ok')]),
      'tool',
    );
    expect(row.permission?.requestId).toBe(REQ);
    expect(row.permission?.decision).toMatchObject({ allowed: true, by: 'operator', edited: false });
    expect(row.result?.content).toBe('ok');
  });

  it('a pending request is on the call row, waiting', () => {
    const row = only(rowsOf([toolUse('t1', 'Bash', input), requested('t1', input)]), 'tool');
    expect(row.permission).toEqual({ requestId: REQ, decision: null });
  });

  it('a request logged before its call is folded into the call when it arrives (pending or decided)', () => {
    const pending = only(rowsOf([requested('t1', input), toolUse('t1', 'Bash', input)]), 'tool');
    expect(pending.permission).toEqual({ requestId: REQ, decision: null });
    const rows: TimelineRow[] = [];
    const pairs = new Map<string, number>();
    appendEvents(rows, pairs, logged([requested('t1', input), toolUse('t1', 'Bash', input)]));
    appendEvents(rows, pairs, logged([allowed(input), toolResult('t1', 'done')], 10));
    const row = only(rows, 'tool');
    expect(row.permission?.decision?.allowed).toBe(true);
    expect(row.result?.content).toBe('done');
    const decidedFirst = only(rowsOf([requested('t1', input), allowed(input), toolUse('t1', 'Bash', input)]), 'tool');
    expect(decidedFirst.permission?.decision?.allowed).toBe(true);
  });

  it('a result stored before the request still leaves one card', () => {
    const row = only(
      rowsOf([toolUse('t1', 'Bash', input), toolResult('t1', 'ok'), requested('t1', input), allowed(input)]),
      'tool',
    );
    expect(row.permission?.decision?.allowed).toBe(true);
  });

  it('without the call loaded, the request and a lone decision stand as rows of their own', () => {
    expect(rowsOf([requested('t9', input), allowed(input)]).map((row) => row.kind)).toEqual(['permission']);
    expect(rowsOf([allowed(input)]).map((row) => row.kind)).toEqual(['decision']);
  });
});

describe('decisions in plain words', () => {
  it('an allow with edits says so, with before and after', () => {
    const row = only(
      rowsOf([
        toolUse('t1', 'Bash', { command: 'rm -rf build' }),
        requested('t1', { command: 'rm -rf build' }),
        allowed({ command: 'rm -rf build/tmp' }, { originalInput: { command: 'rm -rf build' } }),
      ]),
      'tool',
    );
    const decision = row.permission?.decision;
    expect(decision?.edited).toBe(true);
    expect(decision?.changes).toEqual([{ key: 'command', before: 'rm -rf build', after: 'rm -rf build/tmp' }]);
    expect(decision === null || decision === undefined ? null : decisionText(decision).text).toBe(
      'allowed with edits by operator',
    );
  });

  it('a rule by its text; a goal rules file by position; a deleted rule', () => {
    const rules: PermissionRule[] = [
      {
        id: 'r1',
        scope: { kind: 'everywhere' },
        tool: 'Bash',
        pattern: 'git status*',
        decision: 'allow',
        message: null,
        createdAt: AT,
      },
    ];
    const byRule = (ruleId: string) =>
      decisionText(summarizeDecision({ behavior: 'allow', updatedInput: {} }, { kind: 'rule', ruleId }), rules).text;
    expect(byRule('r1')).toBe('allowed by rule “allow Bash git status*”');
    expect(byRule('rules.json#0')).toBe("allowed by rule the goal's rule 1 (rules.json)");
    expect(byRule('gone')).toBe('allowed by rule (since deleted)');
  });

  it('a request nobody decided is "cancelled while waiting", not "denied by unavailable"', () => {
    const summary = summarizeDecision(
      { behavior: 'deny', message: 'The permission bridge went away before a decision.', interrupt: false },
      { kind: 'unavailable', reason: 'the permission bridge disconnected or cancelled the request' },
    );
    expect(decisionText(summary)).toEqual({ text: 'cancelled while waiting for approval (not run)', tone: 'muted' });
    expect(summary.detail).toContain('bridge disconnected');
  });

  it('names the console that decided for a runner, and says "operator" for a local answer', () => {
    const allow = { behavior: 'allow' as const, updatedInput: {} };
    expect(decisionText(summarizeDecision(allow, { kind: 'operator', name: 'laptop' })).text).toBe('allowed by laptop');
    expect(
      decisionText(
        summarizeDecision(
          { behavior: 'deny', message: 'No.', interrupt: false },
          { kind: 'operator', name: 'desktop' },
        ),
      ).text,
    ).toBe('denied by desktop: No.');
    expect(decisionText(summarizeDecision(allow, { kind: 'operator' })).text).toBe('allowed by operator');
  });

  it('a deny that ends the turn says so; timeouts and expiry in words', () => {
    expect(
      decisionText(summarizeDecision({ behavior: 'deny', message: 'No.', interrupt: true }, { kind: 'operator' })).text,
    ).toBe('denied by operator: No. (turn ended)');
    expect(
      decisionText(summarizeDecision({ behavior: 'deny', message: 'x', interrupt: false }, { kind: 'timeout' })).text,
    ).toBe('denied: nobody decided in time');
    expect(
      decisionText(summarizeDecision({ behavior: 'deny', message: 'x', interrupt: false }, { kind: 'expired' })).text,
    ).toContain('Overseer restarted');
  });
});

describe("the user's own stop", () => {
  it('an interrupted result and a stopped turn read as what happened', () => {
    const note = only(
      rowsOf([
        {
          kind: 'turn_output',
          goalId,
          turnIndex: 0,
          entry: {
            type: 'result',
            subtype: 'error_during_execution',
            isError: true,
            text: '[ede_diagnostic] result_type=user',
            costUsd: 0.01,
          },
        },
      ]),
      'note',
    );
    expect(note.label).toBe('Claude stopped before finishing the turn · $0.0100');
    expect(note.text).toBe('');
    expect(outcomeLabel({ kind: 'continue', reason: 'stopped by operator' }).text).toBe('you stopped this turn');
  });
});

describe('mini-diffs', () => {
  it('Edit keeps old/new strings, Write its content (cut to the preview)', () => {
    const edit = only(
      rowsOf([toolUse('t1', 'Edit', { file_path: '/w/a.ts', old_string: 'let a', new_string: 'const a' })]),
      'tool',
    );
    expect(edit.change).toEqual({ path: '/w/a.ts', before: 'let a', after: 'const a', write: false, clipped: false });
    const write = only(
      rowsOf([toolUse('t2', 'Write', { file_path: '/w/b.txt', content: 'x'.repeat(PREVIEW_CHARS + 5) })]),
      'tool',
    );
    expect(write.change).toMatchObject({ path: '/w/b.txt', before: '', write: true, clipped: true });
    expect(write.change?.after).toHaveLength(PREVIEW_CHARS);
    expect(only(rowsOf([toolUse('t3', 'Bash', { command: 'ls' })]), 'tool').change).toBeNull();
  });
});
