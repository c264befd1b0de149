// Shared fixtures for the permission tests: temp dirs cleaned after each test, goals and workspaces,
// and an event sink that records what it is given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Goal, PermissionMode } from '../../../src/shared/domain/goal.js';
import { testGoal } from '../../helpers/goal.js';
import type { DriverEvent } from '../../../src/shared/events.js';
import type { EventSink, Workspace } from '../../../src/main/driver/ports.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function onCleanup(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup);
}

/** A fresh temp dir (short path: Unix socket paths must stay short), removed after the test. */
export function tempDir(prefix = 'perm-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeGoal(repoPath: string, mode: PermissionMode = 'ask', metadata: Record<string, unknown> = {}): Goal {
  return testGoal({ repoPath, inPlace: true, permissionMode: mode, metadata });
}

export function makeWorkspace(goal: Goal, path = goal.repoPath): Workspace {
  return { goalId: goal.id, path, repoPath: goal.repoPath, kind: 'in_place', branch: null, baseCommit: null };
}

export class RecordingSink implements EventSink {
  readonly events: DriverEvent[] = [];
  private readonly reactions: ((event: DriverEvent) => void)[] = [];

  publish(event: DriverEvent): void {
    this.events.push(event);
    for (const react of this.reactions) react(event);
  }

  /** Calls `react` for every later event (e.g. an automatic operator). */
  react(react: (event: DriverEvent) => void): void {
    this.reactions.push(react);
  }

  ofKind<K extends DriverEvent['kind']>(kind: K): Extract<DriverEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<DriverEvent, { kind: K }> => e.kind === kind);
  }
}

/** Polls `condition` until true (generous timeout; never a fixed sleep). */
export async function waitFor(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
