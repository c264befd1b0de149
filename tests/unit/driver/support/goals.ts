// Goal fixtures for driver tests: goals that may use every tool unasked unless a test says otherwise.
import type { Goal } from '../../../../src/shared/domain/goal.js';
import { testGoal, type GoalOverrides } from '../../../helpers/goal.js';

export function makeGoal(overrides: GoalOverrides = {}): Goal {
  return testGoal({ description: 'Make the tests pass.', permissionMode: 'allow-all', ...overrides });
}
