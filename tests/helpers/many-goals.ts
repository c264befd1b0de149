// A data directory's database filled with `count` ended goals at once (one store opened, one
// transaction), for the tests of lists longer than a goal list holds. Goal i is created i seconds
// after the first, so the newest is the last; each description names its number. Each goal is
// done unless `statusOf` says otherwise.
import { join } from 'node:path';
import { openStores } from '../../src/main/store/index.js';
import type { Goal, GoalStatus } from '../../src/shared/domain/goal.js';
import { testGoal } from './goal.js';

export function seedGoals(
  dataDir: string,
  count: number,
  statusOf: (index: number) => GoalStatus = () => 'done',
): Goal[] {
  const stores = openStores(join(dataDir, 'overseer.db'));
  try {
    const first = Date.parse('2026-11-01T00:00:00.000Z');
    const goals = Array.from({ length: count }, (_, i) =>
      testGoal({ description: `Seeded goal number ${i}`, createdAt: new Date(first + i * 1000).toISOString() }),
    );
    stores.db.transaction(() => {
      goals.forEach((goal, index) => stores.goals.insert(goal, statusOf(index)));
    })();
    return goals;
  } finally {
    stores.close();
  }
}
