// The socket frames: encoding, parsing (version, secret, shape) and reassembly of frames spread over
// many reads, with the size limit.
import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  FrameSplitter,
  parseClientFrame,
  parseServerFrame,
  type ClientFrame,
} from '../../../src/main/permission/frames.js';

const decide: ClientFrame = {
  v: 1,
  kind: 'decide',
  id: '7',
  goalId: 'goal-a',
  secret: 'secret-a',
  call: { toolName: 'Write', input: { file_path: '/w/a.txt', content: 'line 1\nline 2 ü €' }, toolUseId: 'toolu_1' },
};

describe('frames', () => {
  it('encodes one line per frame and parses it back', () => {
    const line = encodeFrame(decide);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const parsed = parseClientFrame(line.slice(0, -1));
    expect(parsed).toEqual({ ok: true, frame: decide });
  });

  it('rejects text that is not JSON, a wrong version, a missing secret and a bad shape, each with its code', () => {
    expect(parseClientFrame('{not json')).toMatchObject({ ok: false, code: 'parse_error', id: null });
    expect(parseClientFrame('[1,2]')).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parseClientFrame(JSON.stringify({ ...decide, v: 2 }))).toMatchObject({
      ok: false,
      code: 'unsupported_version',
      id: '7',
    });
    const { secret: _secret, ...noSecret } = decide;
    expect(parseClientFrame(JSON.stringify(noSecret))).toMatchObject({ ok: false, code: 'unauthorized', id: '7' });
    expect(parseClientFrame(JSON.stringify({ ...decide, call: { toolName: 'Bash', input: 'ls' } }))).toMatchObject({
      ok: false,
      code: 'bad_frame',
    });
    expect(parseClientFrame(JSON.stringify({ v: 1, kind: 'launch', id: '1' }))).toMatchObject({
      ok: false,
      code: 'bad_frame',
    });
  });

  it('parses server frames and refuses unknown ones', () => {
    const decision = {
      v: 1,
      kind: 'decision',
      id: '7',
      decision: { behavior: 'deny', message: 'no', interrupt: true },
    };
    expect(parseServerFrame(JSON.stringify(decision))).toEqual({ ok: true, frame: decision });
    expect(
      parseServerFrame(JSON.stringify({ v: 1, kind: 'decision', id: '7', decision: { behavior: 'allow' } })),
    ).toMatchObject({
      ok: false,
    });
  });

  it('reassembles frames split into single bytes, including multi-byte characters', () => {
    const bytes = Buffer.from(encodeFrame(decide) + encodeFrame({ ...decide, id: '8' }));
    const splitter = new FrameSplitter(1024);
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const result = splitter.push(bytes.subarray(i, i + 1));
      expect(result.tooLarge).toBe(false);
      lines.push(...result.lines);
    }
    expect(lines.map((line) => parseClientFrame(line))).toEqual([
      { ok: true, frame: decide },
      { ok: true, frame: { ...decide, id: '8' } },
    ]);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('returns several frames from one chunk and skips blank and CRLF-terminated lines correctly', () => {
    const splitter = new FrameSplitter(1024);
    const result = splitter.push(Buffer.from('\n{"a":1}\r\n\n  \n{"b":2}\n{"c"'));
    expect(result.lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(splitter.push(Buffer.from(':3}\n')).lines).toEqual(['{"c":3}']);
  });

  it('reports a frame over the limit, whether it arrives at once or grows over many reads, and then stays broken', () => {
    const atOnce = new FrameSplitter(10);
    expect(atOnce.push(Buffer.from('{"ok":1}\n' + 'x'.repeat(11) + '\n'))).toMatchObject({
      lines: ['{"ok":1}'],
      tooLarge: true,
    });

    const growing = new FrameSplitter(10);
    expect(growing.push(Buffer.from('x'.repeat(6))).tooLarge).toBe(false);
    expect(growing.push(Buffer.from('x'.repeat(6))).tooLarge).toBe(true);
    expect(growing.push(Buffer.from('\n{}\n'))).toMatchObject({ lines: [], tooLarge: true });

    const exact = new FrameSplitter(10);
    expect(exact.push(Buffer.from('x'.repeat(10) + '\n'))).toEqual({ lines: ['x'.repeat(10)], tooLarge: false });
  });
});
