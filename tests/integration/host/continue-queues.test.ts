// Starting an ended goal with a note has one path (GoalRunner.continueEnded) for both commands
// that do it, `goal.continue` and the Land panel's `land.handToClaude`: when no slot is free, both
// queue the goal behind the ones already waiting (the note waits with it) instead of refusing.
// No Claude runs here: the queue is held by a goal waiting ahead, and every goal is cancelled
// before it could start.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';

let dir: string;
let host: Host;

async function call<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
  const result = await host.dispatcher.invoke(channel, payload, { transport: 'local' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as CommandResponse<C>;
}

/** A goal created without starting, then marked as having ended `done`. */
async function endedGoal(description: string): Promise<string> {
  const { goalId } = await call('goal.create', {
    description,
    repoPath: join(dir, 'repo'),
    inPlace: true,
    start: false,
  });
  host.stores.goals.setStatus(goalId, 'done');
  return goalId;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overseer-continue-queue-'));
  const repo = join(dir, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
  git('add', '-A');
  git('commit', '-qm', 'first');
  host = await createHost({ mode: 'browser', dataDir: join(dir, 'data'), heartbeatMs: 0, reattach: false });
});

afterAll(async () => {
  for (const goalId of host?.runner.queuedGoalIds() ?? []) host.runner.cancel(goalId);
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('goal.continue and land.handToClaude both queue an ended goal when it cannot start now', async () => {
  // A goal already waits for a slot: whatever is admitted next waits behind it.
  const waiting = await endedGoal('waits ahead');
  host.stores.goals.setStatus(waiting, 'queued');
  host.runner.restoreQueue([waiting]);

  const handed = await endedGoal('handed back from the Land panel');
  const handOff = await call('land.handToClaude', {
    goalId: handed,
    note: 'resolve the conflict',
    extend: { turns: 2 },
  });
  expect(handOff.continued).toBe(true);
  expect(handOff.message).toContain('position 2 in the queue');

  const continued = await endedGoal('continued from the goal view');
  const continuation = await call('goal.continue', {
    goalId: continued,
    note: 'also update the docs',
    extension: { turns: 1 },
  });
  expect(continuation.queuePosition).toBe(3);

  expect((await call('goals.queue', {})).goalIds).toEqual([waiting, handed, continued]);
  // Both went through the same record: the goal is reopened (queued, no longer done) with its new budget.
  for (const goalId of [handed, continued]) {
    expect(host.stores.goals.get(goalId)?.status).toBe('queued');
    const events = host.stores.events.eventsForGoal(goalId, { limit: 50 }).map((stored) => stored.event);
    expect(events.map((event) => event.kind)).toEqual(['goal_continued', 'goal_queued']);
  }
  expect(host.stores.goals.get(handed)?.goal.budget.maxTurns).toBe(2);
});
