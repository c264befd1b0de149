// The permission broker's stores for tests and benchmarks: the real SQLite stores on ':memory:' (no
// test double that could behave differently), plus the goal rows the requests' foreign key needs.
import { openStores, type Stores } from '../../src/main/store/index.js';
import type { PermissionRecord, PermissionRule } from '../../src/shared/domain/permission.js';
import { testGoal } from './goal.js';

export interface PermissionTestStores {
  readonly stores: Stores;
  readonly records: Stores['permissions'];
  readonly rules: Stores['rules'];
  /** Records a goal row with this id (a permission request must belong to a stored goal); repeats are ignored. */
  addGoal(goalId: string, repoPath?: string): void;
  /** Every permission record, oldest first. */
  all(): PermissionRecord[];
  close(): void;
}

export function permissionTestStores(rules: readonly PermissionRule[] = []): PermissionTestStores {
  const stores = openStores(':memory:');
  for (const rule of rules) stores.rules.add(rule);
  return {
    stores,
    records: stores.permissions,
    rules: stores.rules,
    addGoal(goalId, repoPath = '/tmp/repo') {
      if (stores.goals.get(goalId) === null) stores.goals.insert(testGoal({ id: goalId, repoPath }));
    },
    all: () => stores.permissions.listRecent(Number.MAX_SAFE_INTEGER).reverse(),
    close: () => stores.close(),
  };
}
