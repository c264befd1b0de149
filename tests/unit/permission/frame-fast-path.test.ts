// The plain-code frame readers (frame-fast-path.ts, and the fast path of bridge-arguments.ts) against
// the zod schemas they stand in for: on thousands of frames, the ordinary ones and every kind of
// damage (missing, extra, mistyped, too long fields, "__proto__" keys), a reader either declines
// (null, and zod decides) or returns exactly zod's output. The ordinary frames must not be declined.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCallToolParams, parsePermissionPromptArguments } from '../../../src/main/permission/bridge-arguments.js';
import { readAnswerFrame, readDecideFrame } from '../../../src/main/permission/frame-fast-path.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import {
  ClientFrameSchema,
  encodeFrame,
  parseClientFrame,
  parseServerFrame,
  ServerFrameSchema,
} from '../../../src/main/permission/frames.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a field may be damaged into. */
const ODD_VALUES: Json[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  2.5,
  '',
  'x',
  '1',
  'x'.repeat(128),
  'x'.repeat(129),
  'y'.repeat(512),
  'y'.repeat(513),
  [],
  ['a'],
  {},
  { a: 1 },
  'decide',
  'accepted',
  'decision',
  'allow',
  'deny',
];

const DECIDE: Json = {
  v: 1,
  kind: 'decide',
  id: '17',
  goalId: '5f0c3e8e-3a43-4c7c-9b0d-2f3f9a1f8e11',
  secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
  call: { toolName: 'Bash', input: { command: 'echo 17', description: 'say 17' }, toolUseId: 'toolu_17' },
};
const ACCEPTED: Json = { v: 1, kind: 'accepted', id: '17' };
const ALLOW: Json = { v: 1, kind: 'decision', id: '17', decision: { behavior: 'allow', updatedInput: { a: [1] } } };
const DENY: Json = { v: 1, kind: 'decision', id: '17', decision: { behavior: 'deny', message: 'no', interrupt: true } };
const DENY_PLAIN: Json = { v: 1, kind: 'decision', id: '17', decision: { behavior: 'deny', message: 'no' } };
const ARGUMENTS: Json = { tool_name: 'Write', input: { file_path: 'a.txt', content: 'hi' }, tool_use_id: 'toolu_1' };
const PARAMS: Json = { name: 'permission_prompt', arguments: ARGUMENTS };

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object path in `value` (the root is []). */
function objectPaths(value: Json, at: string[] = []): string[][] {
  if (!isObject(value)) return [];
  return [at, ...Object.entries(value).flatMap(([key, child]) => objectPaths(child, [...at, key]))];
}

function edit(value: Json, path: string[], change: (object: { [key: string]: Json }) => void): Json {
  const copy: Json = structuredClone(value);
  let node: Json = copy;
  for (const key of path) {
    if (!isObject(node)) return copy;
    node = node[key] ?? null;
  }
  if (isObject(node)) change(node);
  return copy;
}

/** The frame with one field removed, replaced by an odd value, or one field added; nested too. */
function damaged(base: Json): Json[] {
  const variants: Json[] = [base];
  for (const path of objectPaths(base)) {
    const keys = Object.keys(
      path.reduce<Json>((node, key) => (isObject(node) ? (node[key] ?? null) : null), base) ?? {},
    );
    for (const key of keys) {
      variants.push(edit(base, path, (object) => delete object[key]));
      for (const odd of ODD_VALUES) variants.push(edit(base, path, (object) => (object[key] = odd)));
    }
    variants.push(edit(base, path, (object) => (object['extra'] = 'field')));
  }
  return variants;
}

/** Random damage, several fields at once. */
function fuzzed(base: Json, next: () => number, count: number): Json[] {
  const variants: Json[] = [];
  const paths = objectPaths(base);
  for (let i = 0; i < count; i++) {
    let frame = base;
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) {
      const path = paths[Math.floor(next() * paths.length)] ?? [];
      frame = edit(frame, path, (object) => {
        const keys = Object.keys(object);
        const key = keys[Math.floor(next() * keys.length)] ?? 'extra';
        const roll = next();
        if (roll < 0.3) delete object[key];
        else object[key] = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)] ?? null;
      });
    }
    variants.push(frame);
  }
  return variants;
}

/** JSON text as the socket carries it, with a "__proto__" key spliced in where asked. */
function withProtoKey(base: Json, path: string[]): unknown {
  const marker = '"__marker__":1';
  const text = JSON.stringify(edit(base, path, (object) => (object['__marker__'] = 1)));
  return JSON.parse(text.replace(marker, '"__proto__":{"toolName":"Bash","behavior":"allow"}'));
}

function expectConforms<T>(read: (json: unknown) => T | null, schema: z.ZodType<T>, json: unknown): 'fast' | 'zod' {
  const fast = read(json);
  const parsed = schema.safeParse(json);
  if (fast === null) return 'zod';
  expect(parsed.success, JSON.stringify(json)).toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  return 'fast';
}

function corpus(base: Json, seed: number): unknown[] {
  const all: unknown[] = [...damaged(base), ...fuzzed(base, seededRandom(seed), 1500)].map((frame) =>
    JSON.parse(JSON.stringify(frame)),
  );
  for (const path of objectPaths(base)) all.push(withProtoKey(base, path));
  return all;
}

describe('frame fast path conformance with zod', () => {
  it('reads decide frames exactly as ClientFrameSchema does, or leaves them to zod', () => {
    const seen = { fast: 0, zod: 0 };
    for (const json of corpus(DECIDE, 1)) seen[expectConforms(readDecideFrame, ClientFrameSchema, json)]++;
    expect(readDecideFrame(DECIDE)).not.toBeNull();
    expect(seen.fast).toBeGreaterThan(50);
    expect(seen.zod).toBeGreaterThan(50);
  });

  it('reads accepted and decision frames exactly as ServerFrameSchema does, or leaves them to zod', () => {
    const seen = { fast: 0, zod: 0 };
    for (const [seed, base] of [ACCEPTED, ALLOW, DENY, DENY_PLAIN].entries()) {
      expect(readAnswerFrame(base)).not.toBeNull();
      for (const json of corpus(base, 10 + seed)) seen[expectConforms(readAnswerFrame, ServerFrameSchema, json)]++;
    }
    expect(seen.fast).toBeGreaterThan(50);
    expect(seen.zod).toBeGreaterThan(50);
  });

  it('parses the same through parseClientFrame / parseServerFrame as through the schemas', () => {
    for (const base of [DECIDE, ACCEPTED, ALLOW, DENY_PLAIN]) {
      for (const json of corpus(base, 99).slice(0, 800)) {
        const line = JSON.stringify(json);
        const schema = base === DECIDE ? ClientFrameSchema : ServerFrameSchema;
        const expected = schema.safeParse(json);
        const got = base === DECIDE ? parseClientFrame(line) : parseServerFrame(line);
        if (expected.success) expect(got).toStrictEqual({ ok: true, frame: expected.data });
        else expect(got.ok).toBe(false);
      }
    }
    expect(parseServerFrame(encodeFrame({ v: 1, kind: 'accepted', id: '3' }).trim())).toStrictEqual({
      ok: true,
      frame: { v: 1, kind: 'accepted', id: '3' },
    });
  });
});

describe('bridge argument fast path conformance with zod', () => {
  const CallToolParamsSchema = z.object({
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  });
  const PromptArgumentsSchema = z.object({
    tool_name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    tool_use_id: z.string().optional(),
  });

  it('reads tools/call params and permission prompt arguments as zod does', () => {
    let accepted = 0;
    for (const json of corpus(PARAMS, 7)) {
      const got = parseCallToolParams(json);
      const expected = CallToolParamsSchema.safeParse(json);
      expect(got.ok, JSON.stringify(json)).toBe(expected.success);
      if (got.ok && expected.success) {
        expect({ name: got.name, arguments: got.arguments }).toStrictEqual({
          name: expected.data.name,
          arguments: expected.data.arguments ?? {},
        });
      }
    }
    for (const json of corpus(ARGUMENTS, 8)) {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) continue;
      const args = z.record(z.string(), z.unknown()).parse(json);
      const got = parsePermissionPromptArguments(args);
      const expected = PromptArgumentsSchema.safeParse(args);
      expect(got.ok, JSON.stringify(json)).toBe(expected.success);
      if (got.ok && expected.success) {
        accepted++;
        expect(got.call).toStrictEqual({
          toolName: expected.data.tool_name,
          input: expected.data.input,
          toolUseId: expected.data.tool_use_id ?? '',
        });
      }
    }
    expect(accepted).toBeGreaterThan(50);
  });
});
