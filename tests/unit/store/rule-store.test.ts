// The stored rules as the broker reads them on every permission prompt: what list() returns follows
// every write, this connection's and another connection's (the list is kept between reads).
import { afterEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../../src/main/store/index.js';
import type { PermissionRule } from '../../../src/shared/domain/permission.js';
import { tempStores } from './helpers.js';

function rule(id: string, pattern: string): PermissionRule {
  return {
    id,
    scope: { kind: 'everywhere' },
    tool: 'Bash',
    pattern,
    decision: 'allow',
    message: null,
    createdAt: `2025-01-01T00:00:0${id.length % 10}.000Z`,
  };
}

describe('SqliteRuleStore.list', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it("follows this store's adds and deletes", () => {
    const h = tempStores();
    cleanups.push(() => h.cleanup());
    expect(h.stores.rules.list()).toEqual([]);
    h.stores.rules.add(rule('a', 'echo *'));
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['a']);
    h.stores.rules.add(rule('bb', 'ls *'));
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['a', 'bb']);
    expect(h.stores.rules.delete('a')).toBe(true);
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['bb']);
  });

  it('sees rules another connection wrote since the last read', () => {
    const h = tempStores();
    cleanups.push(() => h.cleanup());
    h.stores.rules.add(rule('a', 'echo *'));
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['a']);
    const other: Stores = openStores(h.dbPath);
    cleanups.unshift(() => other.close());
    other.rules.add(rule('bb', 'git status'));
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['a', 'bb']);
    other.rules.delete('a');
    expect(h.stores.rules.list().map((r) => r.id)).toEqual(['bb']);
  });

  it('hands out lists a caller cannot use to change what later reads return', () => {
    const h = tempStores();
    cleanups.push(() => h.cleanup());
    h.stores.rules.add(rule('a', 'echo *'));
    const first = h.stores.rules.list();
    first.pop();
    expect(() => {
      const [stored] = h.stores.rules.list();
      if (stored !== undefined) stored.pattern = 'rm *';
    }).toThrow(TypeError);
    expect(h.stores.rules.list()).toEqual([rule('a', 'echo *')]);
  });
});
