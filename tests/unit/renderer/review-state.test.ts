// The review marks' pure parts: the note that carries line comments to Claude (quoted with file and
// line, in file then line order), the viewed keys and the patch fingerprint that un-ticks a file
// whose patch changed.
import { describe, expect, it } from 'vitest';
import { commentsNote, patchFingerprint, viewedKey } from '../../../src/renderer/features/diff/review-state';

describe('commentsNote', () => {
  it('quotes each commented line with its file and line number, sorted by file then line', () => {
    const note = commentsNote([
      { id: '2', path: 'src/b.ts', line: 7, side: 'new', lineText: 'const b = 2;', text: 'rename b' },
      { id: '1', path: 'src/a.ts', line: 42, side: 'new', lineText: 'return x;', text: ' return y instead \n' },
      { id: '3', path: 'src/a.ts', line: 3, side: 'old', lineText: 'import z;', text: 'keep this import' },
    ]);
    expect(note).toBe(
      [
        'Review comments on your changes (3):',
        'src/a.ts:3 (removed line): > import z;\nkeep this import',
        'src/a.ts:42: > return x;\nreturn y instead',
        'src/b.ts:7: > const b = 2;\nrename b',
      ].join('\n\n'),
    );
  });
});

describe('viewed marks', () => {
  it('keys by goal, diff and path', () => {
    expect(viewedKey('g', 2, 'src/a.ts')).toBe('g|turn:2|src/a.ts');
    expect(viewedKey('g', null, 'src/a.ts')).toBe('g|all|src/a.ts');
  });
  it('fingerprints differ when the patch changes and match when it does not', () => {
    expect(patchFingerprint('@@ -1 +1 @@\n-a\n+b\n')).toBe(patchFingerprint('@@ -1 +1 @@\n-a\n+b\n'));
    expect(patchFingerprint('@@ -1 +1 @@\n-a\n+b\n')).not.toBe(patchFingerprint('@@ -1 +1 @@\n-a\n+c\n'));
  });
});
