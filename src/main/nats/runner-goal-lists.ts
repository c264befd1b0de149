// What the console remembers of each runner's goal lists, for when a runner is offline or slow:
// per runner, the answer to each list asked (the whole list, the newest few, the interrupted
// goals), kept by what that list asked (its limit and statuses), the last LISTS_KEPT_PER_RUNNER
// different ones. One answer per runner for every question would answer the whole list with the
// interrupted goals alone, or the interrupted ones with every goal, whichever was asked last
// before the runner went.
import { commands } from '../../shared/contract.js';
import type { GoalSummary } from '../../shared/domain/views.js';

/** How many different goal lists (by what they asked) are kept per runner. */
const LISTS_KEPT_PER_RUNNER = 8;

export interface ListedGoals {
  goals: GoalSummary[];
  total: number | undefined;
}

/** What a goals.list asked, as a key: the same for the same limit and the same statuses in any order. */
export function goalListQuestion(payload: unknown): string {
  const parsed = commands['goals.list'].request.safeParse(payload);
  if (!parsed.success) return 'unreadable';
  const { limit, statuses } = parsed.data;
  return JSON.stringify([limit ?? null, statuses === undefined ? null : [...new Set(statuses)].sort()]);
}

export class RunnerGoalLists {
  private readonly byRunner = new Map<string, Map<string, ListedGoals>>();

  /** `runner`'s answer to `question`, kept as its newest. */
  remember(runner: string, question: string, answer: ListedGoals): void {
    const lists = this.byRunner.get(runner) ?? new Map<string, ListedGoals>();
    lists.delete(question); // re-inserted last: the oldest question is the first one dropped
    lists.set(question, answer);
    for (const oldest of lists.keys()) {
      if (lists.size <= LISTS_KEPT_PER_RUNNER) break;
      lists.delete(oldest);
    }
    this.byRunner.set(runner, lists);
  }

  /** Every runner's last answer to `question` (runners never asked it are left out). */
  answers(question: string): ListedGoals[] {
    return [...this.byRunner.values()].flatMap((lists) => {
      const answer = lists.get(question);
      return answer === undefined ? [] : [answer];
    });
  }
}
