// The post-turn checkpoint overlaps the acceptance checks: it starts when Claude is done (the
// attempt's beforeAcceptance), checks that can write files (shell commands) start only once the
// working tree has been read, read-only checks start at once; the checkpoint is taken once and its
// event still comes before attempt_completed.
import { afterEach, describe, expect, it } from 'vitest';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { harness, type Harness } from './support/driver-harness.js';
import type { Step } from './support/scripted-runner.js';

let h: Harness | null = null;
afterEach(() => {
  h?.cleanup();
  h = null;
});

const shellCheck: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'npm test',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 60,
};
const readOnlyCheck: AcceptanceCriterion = { kind: 'git_clean' };

/** A turn whose claim is checked: records what it saw when acceptance would start. */
function checkedTurn(seen: string[], t: () => Harness): Step {
  return async (params) => {
    seen.push(`claude done; calls: ${t().workspaces.calls.join(', ')}`);
    await params.beforeAcceptance?.();
    seen.push(`acceptance starts; calls: ${t().workspaces.calls.join(', ')}`);
    return { outcome: { kind: 'done' } };
  };
}

describe('post-turn checkpoint beside acceptance', () => {
  it('a check that can write files starts after the working tree was read, before the checkpoint completes', async () => {
    const seen: string[] = [];
    const t = harness([checkedTurn(seen, () => t)], { goal: { acceptance: [shellCheck] } });
    h = t;
    let snapshotRead = false;
    let release: () => void = () => undefined;
    t.workspaces.afterSnapshot = async (turnIndex, phase) => {
      if (phase !== 'post') return;
      snapshotRead = true;
      // The checkpoint's commit and ref wait until acceptance has started.
      await new Promise<void>((resolve) => (release = resolve));
    };
    const running = t.driver.runGoal(t.goal);
    await expect.poll(() => seen.length).toBe(2);
    expect(snapshotRead).toBe(true);
    expect(seen).toEqual([
      'claude done; calls: ensure, checkpoint 0-pre',
      'acceptance starts; calls: ensure, checkpoint 0-pre, checkpoint 0-post',
    ]);
    release();
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'done' });
    expect(t.workspaces.calls.filter((call) => call.startsWith('checkpoint'))).toEqual([
      'checkpoint 0-pre',
      'checkpoint 0-post',
    ]);
    expect(t.events.kinds()).toEqual([
      'goal_started',
      'attempt_started',
      'checkpoint',
      'checkpoint',
      'attempt_completed',
      'goal_completed',
    ]);
    const [, post] = t.events.of('checkpoint');
    expect(t.events.of('attempt_completed')[0]?.result.postCheckpoint).toBe(post?.sha);
  });

  it('read-only checks do not wait for the checkpoint', async () => {
    const seen: string[] = [];
    const t = harness([checkedTurn(seen, () => t)], { goal: { acceptance: [readOnlyCheck] } });
    h = t;
    let release: () => void = () => undefined;
    t.workspaces.beforeCheckpoint = async (turnIndex, phase) => {
      if (phase === 'post') await new Promise<void>((resolve) => (release = resolve));
    };
    const running = t.driver.runGoal(t.goal);
    // Acceptance starts while the post checkpoint has not even read the working tree.
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[1]).toBe('acceptance starts; calls: ensure, checkpoint 0-pre, checkpoint 0-post');
    release();
    expect((await running).outcome).toEqual({ kind: 'done' });
    expect(t.events.of('checkpoint').map((event) => event.phase)).toEqual(['pre', 'post']);
  });

  it('a turn without checks takes its post checkpoint after the attempt, as before', async () => {
    const t = harness([() => ({ outcome: { kind: 'done' } })]);
    h = t;
    expect((await t.driver.runGoal(t.goal)).outcome).toEqual({ kind: 'done' });
    expect(t.workspaces.calls.filter((call) => call.startsWith('checkpoint'))).toEqual([
      'checkpoint 0-pre',
      'checkpoint 0-post',
    ]);
  });
});
