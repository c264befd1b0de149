// `overseer revert` option parsing and `overseer diff --hunks` numbering (the numbers revert takes).
import { describe, expect, it } from 'vitest';
import { parseRevertOptions } from '../../../src/main/cli/revert-command.js';
import { formatHunks } from '../../../src/main/cli/diff-command.js';
import { parseGoalCommand } from '../../../src/main/cli/goal-command-options.js';
import type { DiffStat } from '../../../src/shared/domain/goal.js';

describe('overseer revert options', () => {
  it('takes GOAL, --file, and optional --hunk and --turn', () => {
    expect(parseRevertOptions(['ab12', '--file', 'src/a.ts', '--hunk', '2', '--turn', '3'])).toMatchObject({
      goal: 'ab12',
      file: 'src/a.ts',
      hunk: 2,
      turn: 3,
      json: false,
      runner: null,
    });
    expect(parseRevertOptions(['ab12', '--file', 'src/a.ts'])).toMatchObject({ hunk: null, turn: null });
    expect(parseRevertOptions(['--help'])).toMatchObject({ help: true });
  });

  it('names what is wrong', () => {
    expect(() => parseRevertOptions(['ab12'])).toThrow(/--file PATH is required/);
    expect(() => parseRevertOptions(['--file', 'a'])).toThrow(/which goal/);
    expect(() => parseRevertOptions(['ab12', '--file', 'a', '--hunk', '0'])).toThrow(/--hunk must be a hunk number/);
    expect(() => parseRevertOptions(['ab12', '--file', 'a', '--turn', 'x'])).toThrow(/--turn must be a turn number/);
  });
});

describe('overseer diff --hunks', () => {
  it('is a flag of diff that excludes --stat', () => {
    expect(parseGoalCommand('diff', ['ab', '--hunks'])).toMatchObject({ hunks: true, stat: false });
    expect(() => parseGoalCommand('diff', ['ab', '--hunks', '--stat'])).toThrow(/do not go together/);
  });

  it('numbers each file’s hunks from 1, in the patch’s order', () => {
    const stat: DiffStat = {
      files: [
        { path: 'a.txt', oldPath: null, status: 'modified', added: 2, removed: 2, binary: false },
        { path: 'logo.bin', oldPath: null, status: 'added', added: 0, removed: 0, binary: true },
      ],
      added: 2,
      removed: 2,
    };
    const patch = [
      'diff --git a/a.txt b/a.txt',
      'index 1111111..2222222 100644',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,3 +1,3 @@',
      ' one',
      '-two',
      '+TWO',
      ' three',
      '@@ -20,2 +20,2 @@ section',
      '-x',
      '+y',
      ' z',
      'diff --git a/logo.bin b/logo.bin',
      'new file mode 100644',
      'index 0000000..3333333',
      'GIT binary patch',
      'literal 3',
      'Kcmd;NWB>pF',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
    ].join('\n');
    expect(formatHunks(stat, patch)).toEqual([
      'a.txt (modified)',
      '  hunk 1  @@ -1,3 +1,3 @@  +1 -1',
      '  hunk 2  @@ -20,2 +20,2 @@ section  +1 -1',
      'logo.bin (added)',
      '  no hunks (binary or mode only): revert the whole file',
    ]);
  });
});
