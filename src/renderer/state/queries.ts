// Server state through react-query: the keys every view shares and the hooks that read them.
// Live events invalidate these keys (see live.ts); nothing here polls.
import { skipToken, useQuery } from '@tanstack/react-query';
import type { CommandResponse } from '../../shared/contract';
import type { GoalDetail, GoalSummary } from '../../shared/domain/views';
import { call } from '../lib/command';
import { queryClient } from './query-client';

export const queryKeys = {
  appInfo: ['app.info'] as const,
  goals: ['goals'] as const,
  /** The newest few goals, asked before the console's first whole list (not under `goals`: never refetched). */
  goalListHead: ['goal-list-head'] as const,
  /** Every interrupted goal, however old (under `goals`: refreshed with the list). */
  interruptedGoals: ['goals', 'interrupted'] as const,
  goal: (goalId: string) => ['goal', goalId] as const,
  goalPermissions: (goalId: string) => ['goal', goalId, 'permissions'] as const,
  turnDiff: (goalId: string, turnIndex: number) => ['goal', goalId, 'turn-diff', turnIndex] as const,
  cumulativeDiff: (goalId: string) => ['goal', goalId, 'cumulative-diff'] as const,
  /** The Land panel's preview (land.preview). */
  land: (goalId: string) => ['goal', goalId, 'land'] as const,
  pending: ['permissions', 'pending'] as const,
  settings: ['settings'] as const,
  rules: ['rules'] as const,
  search: (query: string) => ['search', query] as const,
};

export function useAppInfo() {
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => call('app.info', {}) });
}

/** How many of the newest goals the console asks for first: more than a tall sidebar shows. */
const GOAL_LIST_HEAD = 50;

let headAsked = false;

type GoalList = CommandResponse<'goals.list'>;

/**
 * The goal list as the host answered it: the newest goals and how many there are in all. The first
 * time, the newest GOAL_LIST_HEAD come first, on their own: the host reads and sends 500 goals in
 * 100-200 ms on a busy two-core machine while the page is still loading, and a screenful lets the
 * sidebar paint before that (bench/startup/FINDINGS.md). Only the sidebar shows them, until the whole
 * list is in; the overview, the inbox and the counts wait for the whole list.
 */
const goalListQuery = {
  queryKey: queryKeys.goals,
  queryFn: async () => {
    if (!headAsked) {
      headAsked = true;
      try {
        queryClient.setQueryData(queryKeys.goalListHead, await call('goals.list', { limit: GOAL_LIST_HEAD }));
      } catch {
        // The whole list, asked next, says what is wrong.
      }
    }
    return call('goals.list', {});
  },
};

export function useGoals() {
  return useQuery({ ...goalListQuery, select: (list) => list.goals });
}

/**
 * The sidebar's goals: the whole list once it is in, before that the newest few (see goalListQuery).
 * `whole` says which; `error` is the whole list's.
 */
export function useSidebarGoals(): { goals: GoalSummary[] | undefined; whole: boolean; error: Error | null } {
  const whole = useGoals();
  const head = useQuery({
    queryKey: queryKeys.goalListHead,
    queryFn: skipToken,
    select: (list: GoalList) => list.goals,
  });
  return { goals: whole.data ?? head.data, whole: whole.data !== undefined, error: whole.error };
}

/** How many goals the host has in all (undefined until known, or from a host that does not say). */
export function useGoalTotal(): number | undefined {
  return useQuery({ ...goalListQuery, select: (list) => list.total }).data;
}

/**
 * The interrupted goals, newest first, and how many there are: asked apart from the list, which holds
 * only the newest goals, so an interrupted goal older than those is still counted and found.
 */
export function useInterruptedGoals() {
  return useQuery({
    queryKey: queryKeys.interruptedGoals,
    queryFn: () => call('goals.list', { statuses: ['interrupted'] }),
  });
}

function goalDetailQuery(goalId: string) {
  return { queryKey: queryKeys.goal(goalId), queryFn: () => call('goal.get', { goalId }) };
}

export function useGoalDetail(goalId: string) {
  return useQuery(goalDetailQuery(goalId));
}

const workspacePathOf = (detail: GoalDetail): string | null => detail.workspace?.path ?? null;

/**
 * The goal's workspace path (null until its details are in, or when it has none), for timeline rows
 * that show paths relative to it. A row that mounts does not ask for the details again: the
 * timeline mounts rows on every scroll frame, and each new observer of stale details would refetch
 * the whole goal (every turn of a long goal) and hold the host and the page up with it. The goal
 * view keeps the details current (live events invalidate them).
 */
export function useGoalWorkspacePath(goalId: string): string | null {
  return useQuery(goalWorkspacePathQuery(goalId)).data ?? null;
}

/** The query behind useGoalWorkspacePath (the goal's details, read without a refetch on mount). */
export function goalWorkspacePathQuery(goalId: string) {
  return { ...goalDetailQuery(goalId), refetchOnMount: false, select: workspacePathOf };
}

/** Every pending permission request across goals, oldest first. */
export function usePendingPermissions() {
  return useQuery({
    queryKey: queryKeys.pending,
    queryFn: async () => {
      const { records } = await call('permissions.pending', {});
      return [...records].sort((a, b) => a.request.createdAt.localeCompare(b.request.createdAt));
    },
  });
}

export function useGoalPermissions(goalId: string) {
  return useQuery({
    queryKey: queryKeys.goalPermissions(goalId),
    queryFn: async () => (await call('permissions.forGoal', { goalId })).records,
  });
}

export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => call('settings.get', {}) });
}

function rulesQuery() {
  return { queryKey: queryKeys.rules, queryFn: async () => (await call('rules.list', {})).rules };
}

export function useRules() {
  return useQuery(rulesQuery());
}

/**
 * The stored rules for timeline rows (their decision chips name the rule that decided): loaded by
 * the first row, not asked for again by every row that mounts while the operator scrolls. Rule
 * changes invalidate them (live events, the approval card), which refreshes them.
 */
export function useRulesForRows() {
  return useQuery(rulesForRowsQuery());
}

/** The query behind useRulesForRows (the rules, read without a refetch on mount). */
export function rulesForRowsQuery() {
  return { ...rulesQuery(), refetchOnMount: false };
}

export function useTurnDiff(goalId: string, turnIndex: number, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.turnDiff(goalId, turnIndex),
    queryFn: () => call('turn.diff', { goalId, turnIndex }),
    enabled,
  });
}

export function useCumulativeDiff(goalId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.cumulativeDiff(goalId),
    queryFn: () => call('goal.cumulativeDiff', { goalId }),
    enabled,
  });
}

export function useSearch(query: string) {
  return useQuery({
    queryKey: queryKeys.search(query),
    queryFn: async () => (await call('search', { query, limit: 100 })).hits,
    enabled: query.trim() !== '',
  });
}
