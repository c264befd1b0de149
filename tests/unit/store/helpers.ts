// Test helpers for the store: temp databases, goals and events with sensible defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ZERO_USAGE,
  type AttemptResult,
  type BudgetUsage,
  type Goal,
  type GoalOutcome,
} from '../../../src/shared/domain/goal.js';
import { testGoal } from '../../helpers/goal.js';
import { openStores, type OpenStoresOptions, type Stores } from '../../../src/main/store/index.js';

export interface TempDir {
  path: string;
  remove(): void;
}

export function tempDir(prefix = 'overseer-store-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Stores over a fresh database file in a temp dir; errors reported by the store are collected. */
export function tempStores(options: OpenStoresOptions = {}): {
  stores: Stores;
  dir: TempDir;
  dbPath: string;
  errors: { error: unknown; context: string }[];
  cleanup(): void;
} {
  const dir = tempDir();
  const dbPath = join(dir.path, 'overseer.db');
  const errors: { error: unknown; context: string }[] = [];
  const stores = openStores(dbPath, { onError: (error, context) => errors.push({ error, context }), ...options });
  return {
    stores,
    dir,
    dbPath,
    errors,
    cleanup() {
      stores.close();
      dir.remove();
    },
  };
}

export function makeGoal(overrides: Partial<Goal> = {}): Goal {
  return testGoal({
    description: 'Make the parser accept trailing commas',
    createdAt: new Date('2025-01-01T00:00:00.000Z').toISOString(),
    ...overrides,
  });
}

export function usage(overrides: Partial<BudgetUsage> = {}): BudgetUsage {
  return { ...ZERO_USAGE, ...overrides };
}

export function attemptResult(
  goalId: string,
  turnIndex: number,
  overrides: Partial<AttemptResult> = {},
): AttemptResult {
  return {
    goalId,
    turnIndex,
    outcome: { kind: 'continue', reason: 'more to do' },
    usageAfter: usage({ turns: turnIndex + 1, tokens: 1000 * (turnIndex + 1), costUsd: 0.01 * (turnIndex + 1) }),
    acceptance: null,
    finalText: `turn ${turnIndex} done`,
    sessionId: 'session-1',
    turnTokens: 1000,
    turnCostUsd: 0.01,
    permissionDenials: 0,
    preCheckpoint: null,
    postCheckpoint: null,
    diffStat: null,
    ...overrides,
  };
}

export function goalOutcome(goalId: string, overrides: Partial<GoalOutcome> = {}): GoalOutcome {
  return {
    goalId,
    outcome: { kind: 'done' },
    error: null,
    totalTurns: 2,
    usage: usage({ turns: 2, tokens: 2000, costUsd: 0.02 }),
    finalText: 'all done',
    acceptance: null,
    elapsedMs: 1234,
    ...overrides,
  };
}

/** A stream-json assistant line with one text block. */
export function assistantTextLine(text: string): string {
  return JSON.stringify({
    type: 'assistant',
    message: { id: 'msg_1', content: [{ type: 'text', text }], usage: { input_tokens: 1, output_tokens: 1 } },
    session_id: 'session-1',
  });
}
