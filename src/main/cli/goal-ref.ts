// GOAL on the command line: a goal id or any unique start of one. An unknown or ambiguous prefix
// is a usage error that says which goals there are / which ones match.
import type { GoalSummary } from '../../shared/domain/views.js';
import type { HostClient } from './host-client/client.js';
import { UsageError } from './usage.js';
import { GOAL_LIST_MAX_LIMIT } from '../../shared/domain/goal-list.js';

function describe(goal: GoalSummary): string {
  return `  ${goal.id}  ${goal.status.padEnd(16)}  ${goal.description.replace(/\s+/g, ' ').slice(0, 60)}`;
}

/** The one goal whose id starts with `ref` (case-insensitive). Throws UsageError otherwise. */
export function matchGoalRef(goals: readonly GoalSummary[], ref: string): GoalSummary {
  const wanted = ref.trim().toLowerCase();
  if (wanted === '') throw new UsageError('which goal? give its id or the start of it (see `overseer goals`)');
  const exact = goals.find((goal) => goal.id.toLowerCase() === wanted);
  if (exact !== undefined) return exact;
  const matches = goals.filter((goal) => goal.id.toLowerCase().startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UsageError(
      `no goal whose id starts with "${ref}"${goals.length === 0 ? ' (there are no goals yet)' : ' (see `overseer goals`)'}`,
    );
  }
  const shown = matches.slice(0, 20).map(describe);
  if (matches.length > shown.length) shown.push(`  … and ${matches.length - shown.length} more`);
  throw new UsageError(`"${ref}" matches ${matches.length} goals; give more of the id:\n${shown.join('\n')}`);
}

/** Resolves GOAL against the host's goal list. */
export async function resolveGoal(client: HostClient, ref: string | undefined): Promise<GoalSummary> {
  if (ref === undefined) throw new UsageError('which goal? give its id or the start of it (see `overseer goals`)');
  // Every goal, not the newest 500 the console's list holds: an older goal is still addressable.
  const { goals } = await client.invoke('goals.list', { limit: GOAL_LIST_MAX_LIMIT });
  return matchGoalRef(goals, ref);
}
