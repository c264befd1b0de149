// permission.context's parts: Claude's last message before a request, and the current file as the
// approval card may show it (missing, too large, binary, text; relative paths from the workspace).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../../src/shared/events.js';
import { lastMessageBefore, readCurrentFile } from '../../../src/main/host/handlers/approval.js';

const goalId = '00000000-0000-4000-8000-000000000001';
const text = (value: string, turnIndex = 0): DriverEvent => ({
  kind: 'turn_output',
  goalId,
  turnIndex,
  entry: { type: 'text', text: value },
});
const usage = {
  turns: 0,
  wallTimeMs: 0,
  tokens: 0,
  costUsd: 0,
  consecutiveDenies: 0,
  consecutiveErrors: 0,
  consecutive413: 0,
};
const started = (turnIndex: number): DriverEvent => ({
  kind: 'attempt_started',
  goalId,
  turnIndex,
  usage,
  prompt: 'p',
  compact: false,
});
const requested = (id: string): DriverEvent => ({
  kind: 'permission_requested',
  goalId,
  request: {
    id,
    goalId,
    turnIndex: 0,
    toolName: 'Bash',
    toolUseId: 't',
    input: { command: 'ls' },
    createdAt: '2026-01-01T00:00:00.000Z',
  },
});

describe('lastMessageBefore', () => {
  const A = '00000000-0000-4000-8000-00000000000a';
  const B = '00000000-0000-4000-8000-00000000000b';
  it('the last text before the request, within its turn', () => {
    const events = [
      started(0),
      text('first'),
      text('Now I will list the files.'),
      requested(A),
      text('after A'),
      requested(B),
    ];
    expect(lastMessageBefore(events, A)).toBe('Now I will list the files.');
    expect(lastMessageBefore(events, B)).toBe('after A');
  });

  it('stops at the start of the turn; an unknown request takes the newest turn', () => {
    expect(lastMessageBefore([text('old turn'), started(1), requested(A)], A)).toBeNull();
    expect(lastMessageBefore([started(1), text('latest')], B)).toBe('latest');
  });
});

describe('readCurrentFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'overseer-approval-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'blob.bin'), Buffer.from([1, 2, 0, 3]));
  writeFileSync(join(root, 'big.txt'), 'x'.repeat(3000));

  it('reads text, resolving relative paths against the workspace', async () => {
    expect(await readCurrentFile('src/a.ts', root)).toEqual({
      path: join(root, 'src', 'a.ts'),
      exists: true,
      content: 'export const a = 1;\n',
      note: null,
    });
    expect(await readCurrentFile(join(root, 'src', 'a.ts'), null)).toMatchObject({ content: 'export const a = 1;\n' });
  });

  it('names what it does not send', async () => {
    expect(await readCurrentFile('missing.txt', root)).toEqual({
      path: join(root, 'missing.txt'),
      exists: false,
      content: null,
      note: null,
    });
    expect(await readCurrentFile('blob.bin', root)).toMatchObject({
      exists: true,
      content: null,
      note: 'a binary file',
    });
    expect(await readCurrentFile('big.txt', root, 1000)).toMatchObject({
      exists: true,
      content: null,
      note: 'too large to show (3 KB)',
    });
    expect(await readCurrentFile('src', root)).toMatchObject({
      exists: true,
      content: null,
      note: 'not a regular file',
    });
  });
});
