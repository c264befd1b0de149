// The New goal form's memory: last values round-trip through storage and a stale or edited entry
// is ignored; recent repositories are distinct and newest first.
import { describe, expect, it } from 'vitest';
import type { GoalSummary } from '../../../src/shared/domain/views';
import {
  loadLastValues,
  recentRepositories,
  saveLastValues,
  startingValues,
  type FormDefaults,
  type LastValues,
} from '../../../src/renderer/features/new-goal/remembered';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

const DEFAULTS: FormDefaults = {
  model: '',
  permissionMode: 'ask',
  budget: {
    maxTurns: '40',
    maxWallTime: '4h',
    maxTokens: '2000000',
    maxCostUsd: '',
    maxConsecutiveDenies: '3',
    maxConsecutiveErrors: '5',
  },
};

const LAST: LastValues = {
  model: 'opus',
  permissionMode: 'allow-edits',
  budget: {
    maxTurns: '7',
    maxWallTime: '2h',
    maxTokens: '500000',
    maxCostUsd: '3',
    maxConsecutiveDenies: '4',
    maxConsecutiveErrors: '0',
  },
  onBudget: 'end',
  turnTimeout: '15m',
  defaults: DEFAULTS,
};

describe('last values', () => {
  it('round-trips through storage', () => {
    const storage = memoryStorage();
    expect(loadLastValues(storage)).toBeNull();
    saveLastValues(LAST, storage);
    expect(loadLastValues(storage)).toEqual(LAST);
  });

  it('ignores an entry that is not JSON or not the expected shape', () => {
    const storage = memoryStorage();
    storage.data.set('overseer.newGoal.last', '{not json');
    expect(loadLastValues(storage)).toBeNull();
    storage.data.set('overseer.newGoal.last', JSON.stringify({ ...LAST, permissionMode: 'yolo' }));
    expect(loadLastValues(storage)).toBeNull();
  });
});

describe('startingValues', () => {
  it('the defaults with nothing remembered, else the last values', () => {
    expect(startingValues(null, DEFAULTS)).toEqual({ ...DEFAULTS, onBudget: 'pause', turnTimeout: '' });
    const { defaults: _chosenOver, ...lastValues } = LAST;
    expect(startingValues(LAST, DEFAULTS)).toEqual(lastValues);
  });

  it('a default changed in Settings since wins over the remembered value', () => {
    const changed: FormDefaults = { ...DEFAULTS, budget: { ...DEFAULTS.budget, maxTurns: '60' }, model: 'sonnet' };
    const start = startingValues(LAST, changed);
    expect(start.budget).toEqual(changed.budget);
    expect(start.model).toBe('sonnet');
    expect(start.permissionMode).toBe('allow-edits');
    expect(start.turnTimeout).toBe('15m');
  });
});

describe('recentRepositories', () => {
  const goal = (repoPath: string, createdAt: string) => ({ repoPath, createdAt }) as GoalSummary;
  it('lists each repository once, the most recently used first', () => {
    const goals = [
      goal('/src/a', '2026-01-01T00:00:00Z'),
      goal('/src/b', '2026-01-02T00:00:00Z'),
      goal('/src/a', '2026-01-03T00:00:00Z'),
      goal('/src/c', '2025-12-31T00:00:00Z'),
    ];
    expect(recentRepositories(goals)).toEqual(['/src/a', '/src/b', '/src/c']);
    expect(recentRepositories(goals, 2)).toEqual(['/src/a', '/src/b']);
    expect(recentRepositories([])).toEqual([]);
  });
});
