// StdioPrompts: the permission prompts a long-lived Claude Code process sends on its stdout
// (`control_request` / `can_use_tool`) are asked of the goal's permission path and answered with a
// `control_response` of the same request id; cancels, the process's end, and lines that are not what
// they claim are handled without leaving Claude waiting.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PermissionPromptAnswer } from '../../../src/main/driver/permission-answer.js';
import type { PermissionPrompt } from '../../../src/main/driver/ports.js';
import { StdioPrompts } from '../../../src/main/driver/stdio-prompts.js';

const ResponseSchema = z.object({
  type: z.literal('control_response'),
  response: z.union([
    z.object({ subtype: z.literal('success'), request_id: z.string(), response: z.record(z.string(), z.unknown()) }),
    z.object({ subtype: z.literal('error'), request_id: z.string(), error: z.string() }),
  ]),
});

interface Asked {
  prompt: PermissionPrompt;
  signal: AbortSignal;
  answer: (value: PermissionPromptAnswer) => void;
  fail: (error: Error) => void;
}

function harness(options: { canWrite?: () => boolean } = {}) {
  const asked: Asked[] = [];
  const written: z.infer<typeof ResponseSchema>[] = [];
  const warnings: string[] = [];
  const prompts = new StdioPrompts({
    prompts: {
      ask: (prompt, signal) =>
        new Promise((resolve, reject) => asked.push({ prompt, signal, answer: resolve, fail: reject })),
    },
    write: (line) => {
      if (options.canWrite?.() === false) return false;
      written.push(ResponseSchema.parse(JSON.parse(line)));
      return true;
    },
    warn: (message) => warnings.push(message),
  });
  return { prompts, asked, written, warnings };
}

const canUseTool = (id: string, request: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'control_request',
    request_id: id,
    request: {
      subtype: 'can_use_tool',
      tool_name: 'Bash',
      display_name: 'Bash',
      input: { command: 'npm test' },
      tool_use_id: 'toolu_1',
      permission_suggestions: [],
      ...request,
    },
  });

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StdioPrompts', () => {
  it('asks the permission path and answers with the same request id', async () => {
    const h = harness();
    h.prompts.read(canUseTool('req-1'));
    expect(h.asked.map((a) => a.prompt)).toEqual([
      { toolName: 'Bash', input: { command: 'npm test' }, toolUseId: 'toolu_1' },
    ]);
    h.asked[0]?.answer({ behavior: 'allow', updatedInput: { command: 'npm test -- --run' } });
    await settle();
    expect(h.written).toEqual([
      {
        type: 'control_response',
        response: {
          subtype: 'success',
          request_id: 'req-1',
          response: { behavior: 'allow', updatedInput: { command: 'npm test -- --run' } },
        },
      },
    ]);
  });

  it('answers prompts in the order they are decided, not asked', async () => {
    const h = harness();
    h.prompts.read(canUseTool('a'));
    h.prompts.read(canUseTool('b'));
    h.asked[1]?.answer({ behavior: 'deny', message: 'no', interrupt: true });
    h.asked[0]?.answer({ behavior: 'deny', message: 'not this either' });
    await settle();
    expect(
      h.written.map((w) => [w.response.request_id, w.response.subtype === 'success' && w.response.response]),
    ).toEqual([
      ['b', { behavior: 'deny', message: 'no', interrupt: true }],
      ['a', { behavior: 'deny', message: 'not this either' }],
    ]);
  });

  it('leaves every other line alone', () => {
    const h = harness();
    for (const line of [
      '{"type":"assistant","message":{"content":[{"type":"text","text":"a \\"control_request\\" in prose"}]}}',
      '{"type":"system","subtype":"init"}',
      'not json "control_',
      '',
    ])
      h.prompts.read(line);
    expect(h.asked).toEqual([]);
    expect(h.written).toEqual([]);
  });

  it('a cancel from Claude aborts that prompt and nothing is written for it', async () => {
    const h = harness();
    h.prompts.read(canUseTool('c1'));
    h.prompts.read(canUseTool('c2'));
    h.prompts.read(JSON.stringify({ type: 'control_cancel_request', request_id: 'c1' }));
    expect(h.asked.map((a) => a.signal.aborted)).toEqual([true, false]);
    h.asked[0]?.answer({ behavior: 'deny', message: 'aborted' });
    h.asked[1]?.answer({ behavior: 'allow', updatedInput: {} });
    await settle();
    expect(h.written.map((w) => w.response.request_id)).toEqual(['c2']);
  });

  it('the end of the process aborts every open prompt and writes nothing after', async () => {
    const h = harness();
    h.prompts.read(canUseTool('e1'));
    h.prompts.end();
    expect(h.asked[0]?.signal.aborted).toBe(true);
    h.asked[0]?.answer({ behavior: 'allow', updatedInput: {} });
    await settle();
    h.prompts.read(canUseTool('e2'));
    expect(h.written).toEqual([]);
  });

  it('a prompt that does not parse is denied with the reason and reported, never left waiting', () => {
    const h = harness();
    h.prompts.read(canUseTool('bad', { input: 'rm -rf /' }));
    h.prompts.read(canUseTool('bad2', { tool_name: '' }));
    expect(h.asked).toEqual([]);
    expect(
      h.written.map((w) => [
        w.response.request_id,
        w.response.subtype === 'success' && w.response.response['behavior'],
      ]),
    ).toEqual([
      ['bad', 'deny'],
      ['bad2', 'deny'],
    ]);
    expect(h.warnings).toHaveLength(2);
    expect(h.warnings[0]).toMatch(/did not parse/);
  });

  it('a control request it does not serve gets an error response', () => {
    const h = harness();
    h.prompts.read(JSON.stringify({ type: 'control_request', request_id: 'x', request: { subtype: 'hook_callback' } }));
    expect(h.written).toEqual([
      {
        type: 'control_response',
        response: {
          subtype: 'error',
          request_id: 'x',
          error: 'Overseer does not serve control requests of subtype "hook_callback"',
        },
      },
    ]);
    expect(h.asked).toEqual([]);
  });

  it('any control request with an id is answered, whatever its body; one without an id cannot be', () => {
    const h = harness();
    const long = 'L'.repeat(10_000);
    h.prompts.read(JSON.stringify({ type: 'control_request', request_id: 'n', request: null }));
    h.prompts.read(JSON.stringify({ type: 'control_request', request_id: 's', request: { subtype: 7 } }));
    h.prompts.read(canUseTool(long));
    h.prompts.read(JSON.stringify({ type: 'control_request', request: { subtype: 'can_use_tool' } }));
    h.prompts.read(JSON.stringify({ type: 'control_request', request_id: 42, request: { subtype: 'can_use_tool' } }));
    expect(h.written.map((w) => [w.response.request_id.slice(0, 3), w.response.subtype])).toEqual([
      ['n', 'error'],
      ['s', 'error'],
    ]);
    expect(h.asked.map((a) => a.prompt.toolName)).toEqual(['Bash']);
  });

  it('a second prompt with an open request id is refused; the first still gets its answer', async () => {
    const h = harness();
    h.prompts.read(canUseTool('dup'));
    h.prompts.read(canUseTool('dup'));
    expect(h.asked).toHaveLength(1);
    expect(h.written.map((w) => w.response.subtype)).toEqual(['error']);
    h.asked[0]?.answer({ behavior: 'allow', updatedInput: {} });
    await settle();
    expect(h.written.map((w) => w.response.subtype)).toEqual(['error', 'success']);
  });

  it('a decision that fails (or throws) denies saying why', async () => {
    const h = harness();
    h.prompts.read(canUseTool('f'));
    h.asked[0]?.fail(new Error('database is locked'));
    await settle();
    const throwing = new StdioPrompts({
      prompts: {
        ask: () => {
          throw new Error('no goal');
        },
      },
      write: (line) => {
        h.written.push(ResponseSchema.parse(JSON.parse(line)));
        return true;
      },
      warn: (message) => h.warnings.push(message),
    });
    throwing.read(canUseTool('t'));
    await settle();
    expect(
      h.written.map((w) => [w.response.request_id, w.response.subtype === 'success' && w.response.response]),
    ).toEqual([
      ['f', { behavior: 'deny', message: 'the host could not decide: database is locked' }],
      ['t', { behavior: 'deny', message: 'the host could not decide: no goal' }],
    ]);
    expect(h.warnings).toHaveLength(2);
  });
});
