// Budget extensions: the four resource axes a goal can pause at and be given more of (turns, wall
// time, tokens, cost), an extension of some of them, and the budget it makes. Used by the driver
// (at a cap), the host (continue after the end) and the console and CLI (what to offer).
import { z } from 'zod';
import type { BudgetAxis, BudgetGuards, BudgetUsage } from './goal.js';
import { formatDuration, parseDuration } from './duration.js';

/** Axes a goal pauses at (when it pauses at caps) and that "+N and continue" extends. */
export const EXTENDABLE_AXES = ['turns', 'wall_time', 'tokens', 'cost'] as const;
export const ExtendableAxisSchema = z.enum(EXTENDABLE_AXES);
export type ExtendableAxis = z.infer<typeof ExtendableAxisSchema>;

export function isExtendableAxis(axis: BudgetAxis): axis is ExtendableAxis {
  return (EXTENDABLE_AXES as readonly string[]).includes(axis);
}

/** Amounts to add per axis (turns, ms, tokens, USD); omitted axes stay as they are. */
export const BudgetExtensionSchema = z
  .object({
    turns: z.number().int().positive().optional(),
    wallTimeMs: z.number().int().positive().optional(),
    tokens: z.number().int().positive().optional(),
    costUsd: z.number().positive().optional(),
  })
  .strict();
export type BudgetExtension = z.infer<typeof BudgetExtensionSchema>;

export function extensionIsEmpty(extension: BudgetExtension): boolean {
  return (
    extension.turns === undefined &&
    extension.wallTimeMs === undefined &&
    extension.tokens === undefined &&
    extension.costUsd === undefined
  );
}

/**
 * The budget after an extension. Each cap grows from the larger of the cap and what is used, so
 * "+5 turns" always means five more turns from now (a cap raised by a rollback's smaller usage too).
 * A cost axis without a cap stays without one.
 */
export function extendBudget(budget: BudgetGuards, usage: BudgetUsage, extension: BudgetExtension): BudgetGuards {
  const next = { ...budget };
  if (extension.turns !== undefined) next.maxTurns = Math.max(budget.maxTurns, usage.turns) + extension.turns;
  if (extension.wallTimeMs !== undefined)
    next.maxWallTimeMs = Math.max(budget.maxWallTimeMs, usage.wallTimeMs) + extension.wallTimeMs;
  if (extension.tokens !== undefined) next.maxTokens = Math.max(budget.maxTokens, usage.tokens) + extension.tokens;
  if (extension.costUsd !== undefined && budget.maxCostUsd !== null) {
    next.maxCostUsd = Math.round((Math.max(budget.maxCostUsd, usage.costUsd) + extension.costUsd) * 1e6) / 1e6;
  }
  return next;
}

/** The extension of one axis by `amount` (in that axis's unit: turns, ms, tokens, USD). */
export function axisExtension(axis: ExtendableAxis, amount: number): BudgetExtension {
  switch (axis) {
    case 'turns':
      return { turns: amount };
    case 'wall_time':
      return { wallTimeMs: amount };
    case 'tokens':
      return { tokens: amount };
    case 'cost':
      return { costUsd: amount };
  }
}

/** What the console offers by default as "+N" at a cap of this axis. */
export function defaultStep(axis: ExtendableAxis, budget: BudgetGuards): number {
  switch (axis) {
    case 'turns':
      return Math.max(1, Math.min(10, Math.ceil(budget.maxTurns / 2)));
    case 'wall_time':
      return 30 * 60_000;
    case 'tokens':
      return Math.max(100_000, Math.ceil(budget.maxTokens / 2));
    case 'cost':
      return Math.max(1, Math.ceil((budget.maxCostUsd ?? 2) / 2));
  }
}

export const AXIS_LABELS: Record<BudgetAxis, string> = {
  turns: 'turns',
  wall_time: 'wall time',
  tokens: 'tokens',
  cost: 'cost',
  consecutive_denies: 'consecutive denies',
  consecutive_errors: 'consecutive errors',
  consecutive_413: 'prompt-too-long errors',
};

/** An amount of an axis as people write it: "5" turns, "30m" of wall time, "200k" tokens, "2.50" USD. */
export function parseAxisAmount(
  axis: ExtendableAxis,
  text: string,
): { ok: true; amount: number } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/^\+/, '');
  if (axis === 'wall_time') {
    const parsed = parseDuration(trimmed);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    return parsed.ms > 0
      ? { ok: true, amount: parsed.ms }
      : { ok: false, error: 'give a duration longer than zero, e.g. 30m' };
  }
  if (axis === 'cost') {
    const usd = Number(trimmed.replace(/^\$/, ''));
    return Number.isFinite(usd) && usd > 0
      ? { ok: true, amount: usd }
      : { ok: false, error: `give an amount in USD such as 2.50, not "${text}"` };
  }
  const match = /^(\d+(?:\.\d+)?)\s*([kKmM]?)$/.exec(trimmed);
  const unit = match?.[2]?.toLowerCase() === 'k' ? 1000 : match?.[2]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  const amount = match === null ? NaN : Number(match[1]) * unit;
  if (!Number.isInteger(amount) || amount <= 0 || (axis === 'turns' && unit !== 1)) {
    return {
      ok: false,
      error:
        axis === 'turns'
          ? `give a whole number of turns, not "${text}"`
          : `give a number of tokens such as 200k, not "${text}"`,
    };
  }
  return { ok: true, amount };
}

/** An amount of an axis for people: "5 turns", "30m", "200k tokens", "$2.00". */
export function formatAxisAmount(axis: ExtendableAxis, amount: number): string {
  switch (axis) {
    case 'turns':
      return `${amount} turn${amount === 1 ? '' : 's'}`;
    case 'wall_time':
      return formatDuration(amount);
    case 'tokens':
      return amount >= 1000 && amount % 1000 === 0 ? `${amount / 1000}k tokens` : `${amount} tokens`;
    case 'cost':
      return `$${amount.toFixed(2)}`;
  }
}

/** How much of the axis is used and what the cap is, e.g. "5 turns of 5 turns". */
export function capText(axis: ExtendableAxis, usage: BudgetUsage, budget: BudgetGuards): string {
  switch (axis) {
    case 'turns':
      return `${usage.turns} of ${budget.maxTurns} turns`;
    case 'wall_time':
      return `${formatDuration(usage.wallTimeMs)} of ${formatDuration(budget.maxWallTimeMs)}`;
    case 'tokens':
      return `${usage.tokens} of ${budget.maxTokens} tokens`;
    case 'cost':
      return `$${usage.costUsd.toFixed(4)} of $${(budget.maxCostUsd ?? 0).toFixed(2)}`;
  }
}
