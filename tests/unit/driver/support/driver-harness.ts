// Builds a GoalDriver over in-memory ports and a scripted runner for loop tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { GoalDriver, type GoalDriverConfig } from '../../../../src/main/driver/orchestrator.js';
import type { AcceptanceFailure, Goal } from '../../../../src/shared/domain/goal.js';
import { makeGoal } from './goals.js';
import {
  FakePermissionPort,
  FakeWorkspacePort,
  MemoryBindings,
  MemoryCompactSummaries,
  MemoryEventSink,
  MemoryTranscripts,
} from './memory-ports.js';
import { ScriptedRunner, type Step } from './scripted-runner.js';

export interface Harness {
  driver: GoalDriver;
  events: MemoryEventSink;
  bindings: MemoryBindings;
  transcripts: MemoryTranscripts;
  summaries: MemoryCompactSummaries;
  workspaces: FakeWorkspacePort;
  permissions: FakePermissionPort;
  runner: ScriptedRunner;
  goal: Goal;
  goalFilesDir: string;
  cleanup(): void;
}

export function harness(
  steps: Step[],
  options: { goal?: Parameters<typeof makeGoal>[0]; config?: Partial<GoalDriverConfig>; fallback?: Step } = {},
): Harness {
  const events = new MemoryEventSink();
  const bindings = new MemoryBindings();
  const transcripts = new MemoryTranscripts();
  const summaries = new MemoryCompactSummaries();
  const workspaces = new FakeWorkspacePort();
  const permissions = new FakePermissionPort();
  const runner = new ScriptedRunner(steps, options.fallback);
  const goalFilesDir = mkdtempSync(join(tmpdir(), 'driver-goals-'));
  const driver = new GoalDriver(
    { events, bindings, transcripts, workspaces, permissions, compactSummaries: summaries },
    { claudeBin: '/nonexistent/claude', goalFilesDir, attemptRunner: runner, ...options.config },
  );
  return {
    driver,
    events,
    bindings,
    transcripts,
    summaries,
    workspaces,
    permissions,
    runner,
    goal: makeGoal(options.goal),
    goalFilesDir,
    cleanup() {
      workspaces.cleanup();
      rmSync(goalFilesDir, { recursive: true, force: true });
    },
  };
}

/** Lets pending promise callbacks and timers of 0 ms run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * One harness per test, cleaned up after it: `const use = harnessPerTest();` at the top of a file,
 * then `const t = use(harness(...))` in each test.
 */
export function harnessPerTest(): (value: Harness) => Harness {
  let current: Harness | null = null;
  afterEach(() => {
    current?.cleanup();
    current = null;
  });
  return (value) => {
    current = value;
    return value;
  };
}

/** The failing `npm test` acceptance check the loop tests retry on. */
export function npmTestFailure(evidence: string | null = null): AcceptanceFailure {
  return { criterionIndex: 0, criterionLabel: 'shell:npm test', message: 'exit 1 != 0', evidence };
}
