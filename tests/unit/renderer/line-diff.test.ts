// The approval card's diffs: jsdiff's patch in git form with the file's own line numbers, and the
// change an Edit/Write would make to the current file. (Renderer modules: typechecked by
// tsconfig.web.json.)
import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { patchStat, unifiedPatch } from '../../../src/renderer/lib/line-diff';
import { applyEdits, proposedChange } from '../../../src/renderer/lib/proposed-change';

const lines = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `line ${index + from}`).join('\n') + '\n';

describe('unifiedPatch', () => {
  it('numbers hunks with the file lines and keeps 3 lines of context', () => {
    const before = lines(100);
    const after = before.replace('line 50\n', 'line fifty\n');
    const patch = unifiedPatch('src/a.txt', before, after);
    expect(patch).toContain('diff --git a/src/a.txt b/src/a.txt\n--- a/src/a.txt\n+++ b/src/a.txt\n');
    expect(patch).toContain('@@ -47,7 +47,7 @@\n line 47\n line 48\n line 49\n-line 50\n+line fifty\n line 51\n');
    // Conformance: jsdiff applies our git-form patch back to the same result.
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('handles files far past the old 400×400 limit as real diffs', () => {
    const before = lines(5000);
    const after = before.replace('line 2500\n', 'changed\n').replace('line 4999\n', '');
    const patch = unifiedPatch('big.txt', before, after);
    expect(patch.match(/^@@/gm)).toHaveLength(2);
    expect(patchStat(before, after)).toEqual({ added: 1, removed: 2 });
    expect(applyPatch(before, patch)).toBe(after);
  });

  it('a new file counts from line 0 on the old side', () => {
    const patch = unifiedPatch('new.txt', '', 'a\nb\n', { newFile: true });
    expect(patch).toContain('new file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('no hunks when nothing changes', () => {
    expect(unifiedPatch('x', 'same\n', 'same\n')).not.toContain('@@');
  });
});

describe('proposedChange', () => {
  const file = (content: string) => ({ exists: true, content, note: null });

  it('an Edit is applied to the current file', () => {
    const change = proposedChange(
      'Edit',
      { file_path: '/w/a.ts', old_string: 'line 3', new_string: 'line three' },
      file(lines(5)),
    );
    expect(change).toEqual({
      kind: 'file',
      before: lines(5),
      after: lines(5).replace('line 3', 'line three'),
      newFile: false,
    });
  });

  it('replace_all replaces every occurrence; a repeated text without it cannot be placed', () => {
    const text = 'a x a x a\n';
    expect(proposedChange('Edit', { old_string: 'a', new_string: 'b', replace_all: true }, file(text))).toMatchObject({
      kind: 'file',
      after: 'b x b x b\n',
    });
    expect(proposedChange('Edit', { old_string: 'a', new_string: 'b' }, file(text))).toMatchObject({
      kind: 'snippet',
      reason: expect.stringContaining('appears 3 times'),
    });
  });

  it('text not in the file, a missing or unreadable file: the strings alone, with the reason', () => {
    expect(proposedChange('Edit', { old_string: 'zzz', new_string: 'y' }, file('abc\n'))).toEqual({
      kind: 'snippet',
      edits: [{ before: 'zzz', after: 'y' }],
      reason: 'the text to replace is not in the current file',
    });
    expect(
      proposedChange('Edit', { old_string: 'a', new_string: 'b' }, { exists: false, content: null, note: null }),
    ).toMatchObject({ kind: 'snippet', reason: 'the file does not exist' });
    expect(
      proposedChange(
        'Edit',
        { old_string: 'a', new_string: 'b' },
        { exists: true, content: null, note: 'too large to show (3 MB)' },
      ),
    ).toMatchObject({ reason: 'too large to show (3 MB)' });
  });

  it('a Write replaces the file, or creates it', () => {
    expect(proposedChange('Write', { content: 'new\n' }, file('old\n'))).toEqual({
      kind: 'file',
      before: 'old\n',
      after: 'new\n',
      newFile: false,
    });
    expect(proposedChange('Write', { content: 'new\n' }, { exists: false, content: null, note: null })).toEqual({
      kind: 'file',
      before: '',
      after: 'new\n',
      newFile: true,
    });
  });

  it('MultiEdit applies its edits in order; other tools have no change', () => {
    const edits = [
      { old_string: 'one', new_string: 'two' },
      { old_string: 'two two', new_string: 'three' },
    ];
    expect(proposedChange('MultiEdit', { edits }, file('one two\n'))).toMatchObject({ kind: 'file', after: 'three\n' });
    expect(proposedChange('Bash', { command: 'ls' }, null)).toBeNull();
  });

  it('replacement text with $ patterns is inserted literally', () => {
    expect(applyEdits('price\n', [{ before: 'price', after: "$& $' $1", all: false }])).toEqual({
      ok: true,
      content: "$& $' $1\n",
    });
  });
});
