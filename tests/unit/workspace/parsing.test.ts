// Pure parts of the workspace manager: the raw+numstat parser, the byte cap, git's path quoting,
// checkpoint ref names and revision checks.
import { describe, expect, it } from 'vitest';
import { parseRawNumstat, totals } from '../../../src/main/workspace/diff-stat.js';
import { capBytes, quoteGitPath } from '../../../src/main/workspace/patch.js';
import { WorkspaceError } from '../../../src/main/workspace/errors.js';
import {
  branchName,
  checkedRevision,
  checkpointOrder,
  checkpointRef,
  parseCheckpointRef,
} from '../../../src/main/workspace/refs.js';

const GOAL = '0123abcd-4567-489a-8bcd-ef0123456789';
const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_0 = '0'.repeat(40);

describe('parseRawNumstat', () => {
  it('pairs raw records with numstat records, renames and binaries included', () => {
    const output = [
      `:100644 100644 ${SHA_A} ${SHA_B} M`,
      'src/a.ts',
      `:100644 100644 ${SHA_A} ${SHA_A} R087`,
      'old name.txt',
      'new\tname.txt',
      `:000000 100644 ${SHA_0} ${SHA_B} A`,
      'pic.png',
      `:100644 000000 ${SHA_A} ${SHA_0} D`,
      ':starts-with-colon',
      `:100644 120000 ${SHA_A} ${SHA_B} T`,
      'link',
      '3\t1\tsrc/a.ts',
      '2\t2\t',
      'old name.txt',
      'new\tname.txt',
      '-\t-\tpic.png',
      '0\t9\t:starts-with-colon',
      '1\t1\tlink',
      '',
    ].join('\0');
    const files = parseRawNumstat(output);
    expect(files).toEqual([
      { path: 'src/a.ts', oldPath: null, status: 'modified', added: 3, removed: 1, binary: false },
      { path: 'new\tname.txt', oldPath: 'old name.txt', status: 'renamed', added: 2, removed: 2, binary: false },
      { path: 'pic.png', oldPath: null, status: 'added', added: 0, removed: 0, binary: true },
      { path: ':starts-with-colon', oldPath: null, status: 'deleted', added: 0, removed: 9, binary: false },
      { path: 'link', oldPath: null, status: 'type_changed', added: 1, removed: 1, binary: false },
    ]);
    expect(totals(files)).toMatchObject({ added: 6, removed: 13 });
  });

  it('reads empty output as no change and rejects output it does not understand', () => {
    expect(parseRawNumstat('')).toEqual([]);
    expect(() => parseRawNumstat(`:100644 100644 ${SHA_A} ${SHA_B} M\0a\0`)).toThrow(WorkspaceError);
    expect(() => parseRawNumstat('1\t1\ta\0')).toThrow(WorkspaceError);
    expect(() => parseRawNumstat(`:100644 100644 ${SHA_A} ${SHA_B} X\0a\0` + '1\t1\ta\0')).toThrow(
      /unexpected diff status/,
    );
  });
});

describe('capBytes', () => {
  it('keeps text under the cap and cuts longer text at the last line end', () => {
    expect(capBytes('ab\ncd\n', 6)).toEqual({ text: 'ab\ncd\n', truncated: false, originalBytes: 6 });
    expect(capBytes('ab\ncd\nef\n', 7)).toEqual({ text: 'ab\ncd\n', truncated: true, originalBytes: 9 });
    expect(capBytes('ab\ncd\nef\n', 6)).toEqual({ text: 'ab\ncd\n', truncated: true, originalBytes: 9 });
  });

  it('never splits a UTF-8 character when there is no line end to cut at', () => {
    const text = 'ééééé'; // 10 bytes
    const capped = capBytes(text, 5);
    expect(capped).toEqual({ text: 'éé', truncated: true, originalBytes: 10 });
    expect(capBytes(text, 0)).toEqual({ text: '', truncated: true, originalBytes: 10 });
  });
});

describe('quoteGitPath', () => {
  it('leaves plain, spaced and non-ASCII names alone (core.quotePath=false)', () => {
    expect(quoteGitPath('a/src/x y.ts')).toBe('a/src/x y.ts');
    expect(quoteGitPath('b/données/é.txt')).toBe('b/données/é.txt');
  });
  it('quotes like git when a name holds quotes, backslashes or control characters', () => {
    expect(quoteGitPath('a/has "q".txt')).toBe('"a/has \\"q\\".txt"');
    expect(quoteGitPath('a/back\\slash')).toBe('"a/back\\\\slash"');
    expect(quoteGitPath('a/tab\there\nnl')).toBe('"a/tab\\there\\nnl"');
    expect(quoteGitPath('a/bell\u0007esc\u001bdel\u007f')).toBe('"a/bell\\aesc\\033del\\177"');
  });
});

describe('refs', () => {
  it('names checkpoints and branches and parses them back', () => {
    expect(checkpointRef(GOAL, 3, 'pre')).toBe(`refs/overseer/${GOAL}/3-pre`);
    expect(branchName(GOAL)).toBe('overseer/0123abcd');
    expect(parseCheckpointRef(GOAL, `refs/overseer/${GOAL}/12-post`)).toEqual({ turnIndex: 12, phase: 'post' });
    expect(parseCheckpointRef(GOAL, `refs/overseer/${GOAL}/base`)).toBeNull();
    expect(parseCheckpointRef(GOAL, `refs/overseer/${GOAL}/01-pre`)).toBeNull();
    expect(parseCheckpointRef(GOAL, `refs/overseer/other/1-pre`)).toBeNull();
    expect(() => checkpointRef(GOAL, 1.5, 'pre')).toThrow(WorkspaceError);
  });
  it('orders checkpoints by turn, pre before post', () => {
    const list = [
      { turnIndex: 2, phase: 'pre' as const },
      { turnIndex: 1, phase: 'post' as const },
      { turnIndex: 10, phase: 'pre' as const },
      { turnIndex: 1, phase: 'pre' as const },
    ];
    expect([...list].sort(checkpointOrder).map((c) => `${c.turnIndex}-${c.phase}`)).toEqual([
      '1-pre',
      '1-post',
      '2-pre',
      '10-pre',
    ]);
  });
  it('accepts only hex revisions', () => {
    expect(checkedRevision('ABCDEF12', 'x')).toBe('abcdef12');
    for (const bad of ['HEAD', '--output=x', 'abc', 'a'.repeat(65), 'abcd^{tree}', '']) {
      expect(() => checkedRevision(bad, 'x')).toThrow(WorkspaceError);
    }
  });
});
