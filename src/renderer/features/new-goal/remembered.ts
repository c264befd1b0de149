// What the New goal form remembers between goals: the last model, permission mode, budget, budget
// choice and turn timeout (localStorage, parsed on the way back in: a stale or edited entry is
// ignored, never trusted), the repositories of the goals already created (newest first) and the
// models the model field suggests (free text stays allowed).
import { z } from 'zod';
import type { GoalSummary } from '../../../shared/domain/views';
import { OnBudgetSchema, PermissionModeSchema } from '../../../shared/domain/goal';

const STORAGE_KEY = 'overseer.newGoal.last';

/** Model names and the CLI's aliases offered in the model field; any other name can be typed. */
export const KNOWN_MODELS: readonly string[] = [
  'sonnet',
  'opus',
  'haiku',
  'claude-sonnet-4-5',
  'claude-opus-4-5',
  'claude-opus-4-1',
  'claude-haiku-4-5',
];

const BudgetDraftSchema = z.object({
  maxTurns: z.string(),
  maxWallTime: z.string(),
  maxTokens: z.string(),
  maxCostUsd: z.string(),
  maxConsecutiveDenies: z.string(),
  maxConsecutiveErrors: z.string(),
});

export const LastValuesSchema = z.object({
  model: z.string(),
  permissionMode: PermissionModeSchema,
  budget: BudgetDraftSchema,
  onBudget: OnBudgetSchema,
  turnTimeout: z.string(),
});
export type LastValues = z.infer<typeof LastValuesSchema>;

export function loadLastValues(storage: Pick<Storage, 'getItem'> | null = safeStorage()): LastValues | null {
  try {
    const text = storage?.getItem(STORAGE_KEY) ?? null;
    if (text === null) return null;
    const parsed = LastValuesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveLastValues(values: LastValues, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(values));
  } catch {
    // storage full or unavailable: the form starts from the defaults next time
  }
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The distinct repositories of `goals`, the most recently used first. */
export function recentRepositories(goals: readonly GoalSummary[], limit = 8): string[] {
  const newest = new Map<string, string>();
  for (const goal of goals) {
    const seen = newest.get(goal.repoPath);
    if (seen === undefined || goal.createdAt > seen) newest.set(goal.repoPath, goal.createdAt);
  }
  return [...newest.entries()]
    .sort((a, b) => b[1].localeCompare(a[1]))
    .slice(0, limit)
    .map(([path]) => path);
}
