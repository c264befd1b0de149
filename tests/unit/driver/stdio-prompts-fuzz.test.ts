// StdioPrompts against hostile stdout: seeded random lines (garbage, truncated and deeply nested JSON,
// control requests whose every field has the wrong type, polluting keys, huge and odd ids, cancels of
// open and unknown prompts), then every open prompt decided, failed or cancelled, then the process's end.
// Whatever the lines, reading never throws, nothing but a control request with an id is ever answered,
// each such request is answered exactly once (at once, or when its decision comes), a cancelled prompt
// and anything after the end get nothing, and no prototype is polluted.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PermissionPromptAnswer } from '../../../src/main/driver/permission-answer.js';
import { StdioPrompts } from '../../../src/main/driver/stdio-prompts.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const LINES_PER_SEED = 1500;

const ResponseSchema = z.strictObject({
  type: z.literal('control_response'),
  response: z.union([
    z.strictObject({
      subtype: z.literal('success'),
      request_id: z.string().min(1),
      response: z.record(z.string(), z.unknown()),
    }),
    z.strictObject({ subtype: z.literal('error'), request_id: z.string().min(1), error: z.string().min(1) }),
  ]),
});
type Response = z.infer<typeof ResponseSchema>;

/** What the line claims to be, read the way Claude's reader would read it (our oracle, not the code under test). */
function claimOf(line: string): { kind: 'request'; id: string } | { kind: 'cancel'; id: string } | { kind: 'other' } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: 'other' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'other' };
  const type: unknown = Reflect.get(json, 'type');
  const id: unknown = Reflect.get(json, 'request_id');
  if (typeof id !== 'string' || id === '') return { kind: 'other' };
  if (type === 'control_request') return { kind: 'request', id };
  if (type === 'control_cancel_request') return { kind: 'cancel', id };
  return { kind: 'other' };
}

function lineGenerator(random: () => number) {
  const int = (max: number): number => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  // A small pool makes repeated and cancelled ids common; the rest are odd on purpose.
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const oddIds: unknown[] = [
    '',
    ' ',
    '__proto__',
    'constructor',
    'toString',
    '\u0000',
    '\ud800',
    'é🙂',
    'x'.repeat(70_000),
    7,
    -1,
    null,
    true,
    [],
    {},
    ['a'],
  ];
  const anyValue = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => int(1e9) - 5e8,
      () => random(),
      () => 'text',
      () => '',
      () => [1, 'two', { three: 3 }],
      () => ({}),
      () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
      () => ({ constructor: { prototype: { polluted: true } } }),
      () => ({ ['k'.repeat(int(300))]: 'v'.repeat(int(3000)) }),
    ])();
  const requestId = (): unknown => (random() < 0.8 ? pick(ids) : pick(oddIds));
  const canUseTool = (): Record<string, unknown> => {
    const request: Record<string, unknown> = {
      subtype: 'can_use_tool',
      tool_name: pick<unknown>(['Bash', 'Write', 'mcp__x__y', '', 7, null]),
      input: pick<() => unknown>([
        () => ({ command: 'npm test' }),
        () => ({ file_path: '/tmp/x', content: 'c'.repeat(int(100_000)) }),
        () => JSON.parse('{"__proto__": {"polluted": true}, "command": "ls"}') as unknown,
        anyValue,
      ])(),
    };
    if (random() < 0.7) request['tool_use_id'] = pick<unknown>(['toolu_1', '', 5, null]);
    if (random() < 0.3) request['permission_suggestions'] = anyValue();
    if (random() < 0.1) delete request[pick(['subtype', 'tool_name', 'input'])];
    return request;
  };
  const controlRequest = (): unknown => {
    const line: Record<string, unknown> = {
      type: 'control_request',
      request_id: requestId(),
      request: pick<() => unknown>([
        canUseTool,
        canUseTool,
        canUseTool,
        () => ({ subtype: pick<unknown>(['interrupt', 'hook_callback', 'mcp_message', '', 9, null]) }),
        anyValue,
      ])(),
    };
    if (random() < 0.05) delete line['request_id'];
    if (random() < 0.05) delete line['request'];
    return line;
  };
  const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  return (): string => {
    const roll = random();
    if (roll < 0.45) return JSON.stringify(controlRequest());
    if (roll < 0.6) return JSON.stringify({ type: 'control_cancel_request', request_id: requestId() });
    if (roll < 0.65)
      return String.fromCharCode(...Array.from({ length: 1 + int(400) }, () => int(0x10000)))
        .replace(/\n/g, ' ')
        .concat(random() < 0.5 ? '"control_' : '');
    if (roll < 0.7) return JSON.stringify(controlRequest()).slice(0, 5 + int(60));
    if (roll < 0.73) return `{"type":"control_request","request_id":"a","request":${deep(1000 + int(20_000))}}`;
    if (roll < 0.76) return deep(1000 + int(20_000));
    if (roll < 0.8) return JSON.stringify({ type: pick(['control_response', 'control_requests', 'assistant', 7]) });
    if (roll < 0.85) return JSON.stringify([controlRequest()]);
    if (roll < 0.9) return `${JSON.stringify(controlRequest())}${pick(['', ' ', 'x', '}', '\u0000'])}`;
    return JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: '"control_request"' }] } });
  };
}

interface Open {
  id: string;
  signal: AbortSignal;
  answer: (value: PermissionPromptAnswer) => void;
  fail: (error: Error) => void;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const prototypeClean = (): boolean =>
  !Object.hasOwn(Object.prototype, 'polluted') && ({} as Record<string, unknown>)['polluted'] === undefined;
const allow: PermissionPromptAnswer = { behavior: 'allow', updatedInput: {} };

describe('StdioPrompts against hostile stdout lines', () => {
  it.each(SEEDS)('seed %i: never throws, answers each control request with an id exactly once', async (seed) => {
    const random = seededRandom(seed);
    const nextLine = lineGenerator(random);
    const asked: Open[] = [];
    const written: Response[] = [];
    /** Indexes in `written` of the answers given at once, while a line was read. */
    const atOnce = new Set<number>();
    const malformed: string[] = [];
    const prompts = new StdioPrompts({
      prompts: {
        // As the permission path does: an abort settles the prompt at once (a deny nobody gave).
        ask: (prompt, signal) =>
          new Promise((resolve, reject) => {
            // What reaches the permission path must be well formed, whatever the line held (checked after:
            // a throw here would be caught by the code under test).
            if (typeof prompt.toolName !== 'string' || prompt.toolName === '' || typeof prompt.input !== 'object')
              malformed.push(JSON.stringify(prompt).slice(0, 200));
            else if (prompt.input === null || Array.isArray(prompt.input))
              malformed.push(JSON.stringify(prompt).slice(0, 200));
            asked.push({ id: '', signal, answer: resolve, fail: reject });
            signal.addEventListener('abort', () => resolve({ behavior: 'deny', message: 'aborted' }), { once: true });
          }),
      },
      write: (line) => {
        written.push(ResponseSchema.parse(JSON.parse(line)));
        return true;
      },
      warn: () => undefined,
    });

    let requests = 0;
    for (let index = 0; index < LINES_PER_SEED; index++) {
      const line = nextLine();
      const where = `seed ${seed}, line ${index}: ${line.slice(0, 200)}`;
      const claim = claimOf(line);
      const writtenBefore = written.length;
      const askedBefore = asked.length;
      expect(() => prompts.read(line), where).not.toThrow();
      const newWrites = written.slice(writtenBefore);
      const newAsks = asked.slice(askedBefore);
      for (let at = writtenBefore; at < written.length; at++) atOnce.add(at);
      if (claim.kind === 'request') {
        requests += 1;
        // Exactly one of: answered at once (an error, or the deny of a prompt that did not parse), or asked.
        expect(newWrites.length + newAsks.length, where).toBe(1);
        for (const write of newWrites) expect(write.response.request_id, where).toBe(claim.id);
        for (const open of newAsks) open.id = claim.id;
      } else {
        expect(newWrites, where).toEqual([]);
        expect(newAsks, where).toEqual([]);
      }
      // Now and then open prompts are decided, or fail, between lines, as the operator would.
      if (random() < 0.1) {
        for (const open of asked.filter((each) => !each.signal.aborted && random() < 0.5)) {
          if (random() < 0.8) open.answer(random() < 0.5 ? allow : { behavior: 'deny', message: 'no' });
          else open.fail(new Error('database is locked'));
        }
        await settle();
      }
    }
    expect(requests).toBeGreaterThan(LINES_PER_SEED / 4);
    expect(asked.filter((open) => open.signal.aborted).length).toBeGreaterThan(0);
    expect(prototypeClean()).toBe(true);
    expect(malformed).toEqual([]);

    // Everything still open is decided. Each prompt not cancelled before its decision got exactly one
    // answer of its own; a cancelled one got none.
    for (const open of asked) open.answer(allow);
    await settle();
    const later = written.filter((_, at) => !atOnce.has(at));
    expect(later.every((each) => each.response.subtype === 'success')).toBe(true);
    for (const id of new Set(asked.map((open) => open.id))) {
      const answered = later.filter((each) => each.response.request_id === id).length;
      const owed = asked.filter((open) => open.id === id && !open.signal.aborted).length;
      expect(answered, `seed ${seed}, id ${JSON.stringify(id.slice(0, 20))}`).toBe(owed);
    }
    expect(later.length).toBe(asked.filter((open) => !open.signal.aborted).length);

    // After the end, nothing more is asked or written, whatever comes and whatever is decided.
    prompts.read(
      JSON.stringify({
        type: 'control_request',
        request_id: 'open',
        request: { subtype: 'can_use_tool', tool_name: 'Bash', input: {} },
      }),
    );
    const writtenAtEnd = written.length;
    const askedAtEnd = asked.length;
    prompts.end();
    for (let index = 0; index < 100; index++) prompts.read(nextLine());
    for (const open of asked) open.answer(allow);
    await settle();
    expect(written.length).toBe(writtenAtEnd);
    expect(asked.length).toBe(askedAtEnd);
    expect(asked.at(-1)?.signal.aborted).toBe(true);
  });
});
