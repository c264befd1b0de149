// Builds a GoalDriver over in-memory ports and a scripted runner for loop tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoalDriver, type GoalDriverConfig } from '../../../../src/main/driver/orchestrator.js';
import type { Goal } from '../../../../src/shared/domain/goal.js';
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
