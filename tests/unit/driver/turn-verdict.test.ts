import { describe, expect, it } from 'vitest';
import { parseStreamLine, type ResultLine } from '../../../src/main/driver/stream.js';
import {
  classifyTurn,
  parseSleepSentinel,
  permissionToolMissingLine,
  type TurnFacts,
} from '../../../src/main/driver/turn-verdict.js';
import { timedOutText, turnTimeoutReason } from '../../../src/shared/domain/turn-timeout.js';

function result(fields: Record<string, unknown>): ResultLine {
  const parsed = parseStreamLine(JSON.stringify({ type: 'result', session_id: 's', ...fields }));
  if (parsed.kind !== 'result') throw new Error('not a result line');
  return parsed.line;
}
const facts = (over: Partial<TurnFacts>): TurnFacts => ({
  result: null,
  spawnError: null,
  stopCause: null,
  timedOut: false,
  compact: false,
  ...over,
});
const success = result({ subtype: 'success', is_error: false, result: 'Done.' });

describe('classifyTurn', () => {
  it('success without is_error → run acceptance (or a finished compact turn)', () => {
    expect(classifyTurn(facts({ result: success }))).toEqual({ kind: 'evaluate' });
    expect(classifyTurn(facts({ result: success, compact: true }))).toEqual({ kind: 'compacted' });
  });

  it('is_error on a success result is an error, classified from the result text (never the exit code)', () => {
    const apiError = result({ subtype: 'success', is_error: true, result: 'API Error: 400 bad thing' });
    expect(classifyTurn(facts({ result: apiError }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'escalate', reason: 'API Error: 400 bad thing' },
    });
  });

  it('error_max_turns, error_during_execution, other error subtypes', () => {
    expect(
      classifyTurn(facts({ result: result({ subtype: 'error_max_turns', is_error: true, num_turns: 50 }) })),
    ).toEqual({
      kind: 'outcome',
      outcome: { kind: 'escalate', reason: 'claude reported max turns', cause: 'max_turns' },
    });
    expect(
      classifyTurn(facts({ result: result({ subtype: 'error_during_execution', is_error: true, errors: ['boom'] }) })),
    ).toEqual({
      kind: 'outcome',
      outcome: { kind: 'escalate', reason: 'boom' },
    });
    expect(
      classifyTurn(
        facts({ result: result({ subtype: 'error_max_budget_usd', is_error: true, errors: ['over budget'] }) }),
      ),
    ).toEqual({
      kind: 'outcome',
      outcome: { kind: 'escalate', reason: 'error_max_budget_usd: over budget' },
    });
  });

  it('an execution error mentioning the session → session invalid', () => {
    const lost = result({
      subtype: 'error_during_execution',
      is_error: true,
      errors: ['No conversation found with session ID: x'],
    });
    expect(classifyTurn(facts({ result: lost }))).toEqual({ kind: 'session_invalid' });
  });

  it('the sleep sentinel → sleep', () => {
    const sleep = result({
      subtype: 'success',
      is_error: false,
      result: '{"__nexo_sleep__":true,"duration_ms":5000,"reason":"waiting for CI"}',
    });
    expect(classifyTurn(facts({ result: sleep }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'sleep', durationMs: 5000, reason: 'waiting for CI' },
    });
  });

  it('no result line: timeout, operator stop, or a plain missing result', () => {
    expect(classifyTurn(facts({ timedOut: true, timeoutMs: 600_000 }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'continue', reason: 'turn timeout: no output from Claude for 10 min', cause: 'turn_timeout' },
    });
    expect(classifyTurn(facts({ stopCause: 'stop_turn' }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'continue', reason: 'stopped by operator', cause: 'stopped_by_operator' },
    });
    expect(classifyTurn(facts({}))).toEqual({ kind: 'no_result' });
  });

  it('cancel wins over any result; an operator stop turns an aborted result into "stopped by operator"', () => {
    expect(classifyTurn(facts({ result: success, stopCause: 'cancel' }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'cancelled' },
    });
    const aborted = result({
      subtype: 'error_during_execution',
      is_error: true,
      terminal_reason: 'aborted_tools',
      errors: ['[ede_diagnostic] result_type=user'],
    });
    expect(classifyTurn(facts({ result: aborted, stopCause: 'stop_turn' }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'continue', reason: 'stopped by operator', cause: 'stopped_by_operator' },
    });
    // A turn that completed before the stop took effect keeps its success.
    expect(classifyTurn(facts({ result: success, stopCause: 'stop_turn' }))).toEqual({ kind: 'evaluate' });
  });

  it('a spawn failure escalates', () => {
    expect(classifyTurn(facts({ spawnError: 'spawn claude ENOENT' }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'escalate', reason: 'spawn failed: spawn claude ENOENT' },
    });
  });
});

describe('parseSleepSentinel', () => {
  it('accepts both sentinel keys and rejects anything else', () => {
    expect(parseSleepSentinel(' {"__overseer_sleep__":true,"duration_ms":1,"reason":"r"} ')).toEqual({
      durationMs: 1,
      reason: 'r',
    });
    expect(parseSleepSentinel('{"__nexo_sleep__":true,"duration_ms":-1,"reason":"r"}')).toBeNull();
    expect(parseSleepSentinel('{"__nexo_sleep__":false,"duration_ms":1,"reason":"r"}')).toBeNull();
    expect(parseSleepSentinel('Done.')).toBeNull();
    expect(parseSleepSentinel(null)).toBeNull();
  });

  it('a timeout answered by Claude with an aborted result is still a turn timeout (Claude answers SIGINT with error_during_execution)', () => {
    const aborted = result({
      subtype: 'error_during_execution',
      is_error: true,
      terminal_reason: 'aborted_tools',
      errors: ['[ede_diagnostic] result_type=user'],
    });
    expect(classifyTurn(facts({ result: aborted, timedOut: true, timeoutMs: 90_000 }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'continue', reason: 'turn timeout: no output from Claude for 90 s', cause: 'turn_timeout' },
    });
    // A cancel still wins; a success that beat the timeout keeps its success.
    expect(classifyTurn(facts({ result: aborted, timedOut: true, stopCause: 'cancel' }))).toEqual({
      kind: 'outcome',
      outcome: { kind: 'cancelled' },
    });
    expect(classifyTurn(facts({ result: success, timedOut: true }))).toEqual({ kind: 'evaluate' });
  });
});

describe('turn timeout texts', () => {
  it('the reason keeps the "turn timeout" prefix the replay policy reads; the console says "turn timed out after …"', () => {
    expect(turnTimeoutReason(600_000)).toBe('turn timeout: no output from Claude for 10 min');
    expect(timedOutText(turnTimeoutReason(600_000))).toBe('turn timed out after 10 min');
    expect(timedOutText(turnTimeoutReason(4000))).toBe('turn timed out after 4 s');
    expect(timedOutText('turn timeout')).toBe('turn timed out');
    expect(timedOutText('stopped by operator')).toBeNull();
  });
});

describe('permissionToolMissingLine', () => {
  it('finds the CLI error of a permission tool that was not there in time', () => {
    const stderr =
      'Error: MCP tool mcp__overseer__permission_prompt (passed via --permission-prompt-tool) not found. Available MCP tools: none\n    at x (file.js:1:1)\n';
    expect(permissionToolMissingLine(stderr)).toBe(
      'MCP tool mcp__overseer__permission_prompt (passed via --permission-prompt-tool) not found. Available MCP tools: none',
    );
    expect(permissionToolMissingLine('Error: something else')).toBeNull();
  });
});
