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

/** The Settings defaults a remembered value was chosen over: when Settings changes one, its new default wins. */
const DefaultsSchema = z.object({
  model: z.string(),
  permissionMode: PermissionModeSchema,
  budget: BudgetDraftSchema,
});
export type FormDefaults = z.infer<typeof DefaultsSchema>;

export const LastValuesSchema = z.object({
  model: z.string(),
  permissionMode: PermissionModeSchema,
  budget: BudgetDraftSchema,
  onBudget: OnBudgetSchema,
  turnTimeout: z.string(),
  defaults: DefaultsSchema,
});
export type LastValues = z.infer<typeof LastValuesSchema>;

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The form's starting values: the last ones used, except where Settings' default has changed
 * since (a new default in Settings is a deliberate choice and wins); no last values: the defaults.
 */
export function startingValues(last: LastValues | null, defaults: FormDefaults): Omit<LastValues, 'defaults'> {
  if (last === null) return { ...defaults, onBudget: 'pause', turnTimeout: '' };
  return {
    model: sameJson(last.defaults.model, defaults.model) ? last.model : defaults.model,
    permissionMode:
      last.defaults.permissionMode === defaults.permissionMode ? last.permissionMode : defaults.permissionMode,
    budget: sameJson(last.defaults.budget, defaults.budget) ? last.budget : defaults.budget,
    onBudget: last.onBudget,
    turnTimeout: last.turnTimeout,
  };
}

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
