// What the long-lived runner writes and reads: the stream-json user message line, a turn's own cost
// out of the process-cumulative `total_cost_usd`, the argv of a stream-json input process, and the
// OVERSEER_CLAUDE_PROCESS setting.
import { describe, expect, it } from 'vitest';
import { buildClaudeArgs } from '../../../src/main/driver/claude-process.js';
import { claudeProcessModeFromEnv } from '../../../src/main/driver/claude-process-mode.js';
import { costPerTurn, userMessageLine } from '../../../src/main/driver/long-lived-input.js';
import { parseStreamLine, type ResultLine } from '../../../src/main/driver/stream.js';

function resultLine(totalCostUsd: number | null): ResultLine {
  const parsed = parseStreamLine(
    JSON.stringify({
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: 'ok',
      session_id: 's',
      total_cost_usd: totalCostUsd,
      usage: { input_tokens: 10, output_tokens: 2 },
      permission_denials: [],
    }),
  );
  if (parsed.kind !== 'result') throw new Error('not a result line');
  return parsed.line;
}

describe('long-lived input and accounting', () => {
  it('writes one JSON user message line, whatever the prompt holds', () => {
    const prompt = 'line one\nline "two" \u2028 {"type":"control_request"}';
    const line = userMessageLine(prompt);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ type: 'user', message: { role: 'user', content: prompt } });
  });

  it('makes a cumulative result cost the turn’s own and remembers the process total', () => {
    const first = costPerTurn(resultLine(0.0105), 0);
    expect(first.line.total_cost_usd).toBeCloseTo(0.0105, 12);
    expect(first.processTotal).toBe(0.0105);
    const second = costPerTurn(resultLine(0.021), first.processTotal);
    expect(second.line.total_cost_usd).toBeCloseTo(0.0105, 12);
    expect(second.processTotal).toBe(0.021);
    // Everything else on the line is kept.
    expect(second.line.usage).toEqual(resultLine(0.021).usage);
  });

  it('keeps a line without a cost, and takes a total below the previous one as the turn’s own', () => {
    const none = costPerTurn(resultLine(null), 0.5);
    expect(none.line.total_cost_usd).toBeNull();
    expect(none.processTotal).toBe(0.5);
    const lower = costPerTurn(resultLine(0.1), 0.5);
    expect(lower.line.total_cost_usd).toBe(0.1);
    expect(lower.processTotal).toBe(0.1);
  });

  it('builds the stream-json input argv without a prompt, with the same flags as a per-turn process', () => {
    const common = {
      resumeSessionId: 'abc',
      mcpConfigPath: '/goals/g/mcp-config.json',
      permissionPromptTool: 'mcp__overseer__permission_prompt',
      model: 'claude-x',
      settingSources: 'user',
      extraArgs: ['--extra'],
    };
    const perTurn = buildClaudeArgs({ ...common, prompt: 'do it' });
    const lived = buildClaudeArgs({ ...common, prompt: null });
    expect(lived.slice(0, 6)).toEqual([
      '-p',
      '--input-format',
      'stream-json',
      '--output-format',
      'stream-json',
      '--verbose',
    ]);
    expect(lived.slice(6)).toEqual(perTurn.slice(5));
  });

  it('reads OVERSEER_CLAUDE_PROCESS: long-lived by default, per-turn as the fallback on request, anything else refused', () => {
    expect(claudeProcessModeFromEnv({})).toBe('long-lived');
    expect(claudeProcessModeFromEnv({ OVERSEER_CLAUDE_PROCESS: ' ' })).toBe('long-lived');
    expect(claudeProcessModeFromEnv({ OVERSEER_CLAUDE_PROCESS: 'long-lived' })).toBe('long-lived');
    expect(claudeProcessModeFromEnv({ OVERSEER_CLAUDE_PROCESS: 'per-turn' })).toBe('per-turn');
    expect(() => claudeProcessModeFromEnv({ OVERSEER_CLAUDE_PROCESS: 'forever' })).toThrow(
      'OVERSEER_CLAUDE_PROCESS must be one of per-turn, long-lived; got "forever"',
    );
  });
});
