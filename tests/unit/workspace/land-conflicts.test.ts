// Reading conflicts from git's index stages: which stages a path has says how it conflicts (stage 2
// is the base branch, 3 the goal), records are NUL-separated and parsing stops at the first record
// that is not a stage entry (merge-tree's section end).
import { describe, expect, it } from 'vitest';
import { conflictKind, parseStageEntries } from '../../../src/main/workspace/land-conflicts.js';

const OID = 'a'.repeat(40);
const entry = (stage: 1 | 2 | 3, path: string): string => `100644 ${OID} ${stage}\t${path}`;

describe('conflictKind', () => {
  it.each([
    [[1, 2, 3], 'both_modified'],
    [[2, 3], 'both_added'],
    [[1, 2], 'deleted_by_goal'],
    [[1, 3], 'deleted_on_base'],
    [[2], 'added_on_base'],
    [[3], 'added_by_goal'],
    [[1], 'both_deleted'],
  ] as const)('stages %j mean %s', (stages, kind) => {
    expect(conflictKind(new Set(stages))).toBe(kind);
  });
});

describe('parseStageEntries', () => {
  it('groups stages by path (tabs, spaces and newlines in names kept) and stops at the section end', () => {
    const records = [
      entry(1, 'a b.txt'),
      entry(2, 'a b.txt'),
      entry(3, 'a b.txt'),
      entry(2, 'odd\tname\n'),
      '',
      '1',
      'later.txt',
      'CONFLICT (content)',
      'message',
    ];
    const stages = parseStageEntries(records);
    expect([...stages.keys()]).toEqual(['a b.txt', 'odd\tname\n']);
    expect([...(stages.get('a b.txt') ?? [])].sort()).toEqual([1, 2, 3]);
    expect([...(stages.get('odd\tname\n') ?? [])]).toEqual([2]);
  });
});
