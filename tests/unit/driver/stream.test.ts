import { describe, expect, it } from 'vitest';
import {
  normalizeLine,
  parseStreamLine,
  resultErrorText,
  resultTokens,
  sessionIdOf,
} from '../../../src/main/driver/stream.js';

// Lines shaped like Claude Code 2.1.197 prints them (trimmed of fields the driver does not read).
const init =
  '{"type":"system","subtype":"init","cwd":"/tmp/ws","session_id":"s-1","tools":["Bash","Read"],"mcp_servers":[{"name":"overseer","status":"connected"}],"model":"claude-opus-4-8","permissionMode":"default","apiKeySource":"ANTHROPIC_API_KEY","uuid":"u1"}';
const assistant =
  '{"type":"assistant","message":{"id":"m1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"hmm","signature":"x"},{"type":"text","text":"Writing it."},{"type":"tool_use","id":"toolu_1","name":"Write","input":{"file_path":"/tmp/ws/a.txt","content":"hi"}}],"stop_reason":null,"usage":{"input_tokens":350,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"parent_tool_use_id":null,"session_id":"s-1","uuid":"u2"}';
const toolResult =
  '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":"File created successfully at: /tmp/ws/a.txt"}]},"parent_tool_use_id":null,"session_id":"s-1","uuid":"u3","tool_use_result":{"type":"create","filePath":"/tmp/ws/a.txt","content":"hi"}}';
const success =
  '{"type":"result","subtype":"success","is_error":false,"api_error_status":null,"duration_ms":92,"num_turns":2,"result":"Done.","stop_reason":"end_turn","session_id":"s-2","total_cost_usd":0.0234,"usage":{"input_tokens":350,"cache_creation_input_tokens":100,"cache_read_input_tokens":50,"output_tokens":15,"server_tool_use":{"web_search_requests":0}},"modelUsage":{},"permission_denials":[{"tool_name":"Bash"}],"terminal_reason":"completed","uuid":"u4"}';
const apiError =
  '{"type":"result","subtype":"success","is_error":true,"api_error_status":400,"duration_ms":57,"num_turns":1,"result":"API Error: 400 bad thing","session_id":"s-1","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"permission_denials":[]}';
const lostSession =
  '{"type":"result","subtype":"error_during_execution","duration_ms":0,"is_error":true,"num_turns":0,"session_id":"s-9","total_cost_usd":0,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"permission_denials":[],"errors":["No conversation found with session ID: s-9"]}';

describe('parseStreamLine', () => {
  it('reads system/init, assistant, user and result lines', () => {
    expect(parseStreamLine(init).kind).toBe('system');
    expect(parseStreamLine(assistant).kind).toBe('assistant');
    expect(parseStreamLine(toolResult).kind).toBe('user');
    const result = parseStreamLine(success);
    expect(result.kind).toBe('result');
    if (result.kind !== 'result') return;
    expect(result.line.total_cost_usd).toBe(0.0234);
    expect(result.line.result).toBe('Done.');
    expect(result.line.permission_denials).toHaveLength(1);
  });

  it('tolerates unknown line types and unknown fields', () => {
    const unknown = parseStreamLine(
      '{"type":"stream_event","event":{"type":"content_block_delta"},"session_id":"s-7"}',
    );
    expect(unknown).toEqual({ kind: 'other', type: 'stream_event', sessionId: 's-7' });
    expect(normalizeLine(unknown)).toEqual([]);
    const extra = parseStreamLine(
      '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":2,"error_status":529,"error":"overloaded","brand_new":{"x":1},"session_id":"s-1"}',
    );
    expect(extra.kind).toBe('system');
    expect(normalizeLine(extra)).toEqual([
      { type: 'system', subtype: 'api_retry', sessionId: 's-1', detail: 'API retry 1/2: overloaded (529)' },
    ]);
  });

  it('reports lines that are not JSON objects as invalid without throwing', () => {
    expect(parseStreamLine('not json').kind).toBe('invalid');
    expect(parseStreamLine('[1,2]').kind).toBe('invalid');
    expect(parseStreamLine('{"no_type":1}').kind).toBe('invalid');
  });

  it('recovers the session id from every kind of line', () => {
    expect(sessionIdOf(parseStreamLine(init))).toBe('s-1');
    expect(sessionIdOf(parseStreamLine(assistant))).toBe('s-1');
    expect(sessionIdOf(parseStreamLine(toolResult))).toBe('s-1');
    expect(sessionIdOf(parseStreamLine(success))).toBe('s-2');
    expect(sessionIdOf(parseStreamLine(lostSession))).toBe('s-9');
    expect(sessionIdOf(parseStreamLine('{"type":"rate_limit_event","session_id":"s-3"}'))).toBe('s-3');
    expect(sessionIdOf(parseStreamLine('garbage'))).toBeNull();
  });
});

describe('result helpers', () => {
  it('counts input + output + cache_read tokens, not cache_creation', () => {
    const result = parseStreamLine(success);
    if (result.kind !== 'result') throw new Error('expected a result');
    expect(resultTokens(result.line)).toBe(350 + 15 + 50);
  });

  it('reads the error text from errors[], then the result text', () => {
    const lost = parseStreamLine(lostSession);
    const api = parseStreamLine(apiError);
    if (lost.kind !== 'result' || api.kind !== 'result') throw new Error('expected results');
    expect(resultErrorText(lost.line)).toBe('No conversation found with session ID: s-9');
    expect(resultErrorText(api.line)).toBe('API Error: 400 bad thing');
  });
});

describe('normalizeLine', () => {
  it('turns content blocks into transcript entries', () => {
    expect(normalizeLine(parseStreamLine(assistant))).toEqual([
      { type: 'thinking', text: 'hmm' },
      { type: 'text', text: 'Writing it.' },
      { type: 'tool_use', toolUseId: 'toolu_1', name: 'Write', input: { file_path: '/tmp/ws/a.txt', content: 'hi' } },
    ]);
    expect(normalizeLine(parseStreamLine(toolResult))).toEqual([
      {
        type: 'tool_result',
        toolUseId: 'toolu_1',
        content: 'File created successfully at: /tmp/ws/a.txt',
        isError: false,
        truncated: false,
      },
    ]);
  });

  it('summarises init and results (errors carry their text)', () => {
    expect(normalizeLine(parseStreamLine(init))).toEqual([
      {
        type: 'system',
        subtype: 'init',
        sessionId: 's-1',
        detail: 'model claude-opus-4-8; cwd /tmp/ws; mcp overseer(connected)',
      },
    ]);
    expect(normalizeLine(parseStreamLine(success))).toEqual([
      { type: 'result', subtype: 'success', isError: false, text: 'Done.', costUsd: 0.0234 },
    ]);
    expect(normalizeLine(parseStreamLine(apiError))).toEqual([
      { type: 'result', subtype: 'success', isError: true, text: 'API Error: 400 bad thing', costUsd: 0 },
    ]);
  });

  it('cuts long tool results to a preview and flags it; reads array content', () => {
    const long = JSON.stringify({
      type: 'user',
      message: {
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't',
            content: [{ type: 'text', text: 'x'.repeat(10_000) }],
            is_error: true,
          },
        ],
      },
    });
    const [entry] = normalizeLine(parseStreamLine(long));
    expect(entry).toMatchObject({ type: 'tool_result', isError: true, truncated: true });
    expect(entry?.type === 'tool_result' ? entry.content.length : 0).toBe(4000);
  });
});
