// Goal lifecycle across the host with the real CLI and the fake model: admission (a limit of goals
// running at once, the queue, move up, cancel while queued), a restart that keeps a paused goal
// paused and lets a sleeping goal sleep on to its tick, and a rollback that rewinds Claude's
// conversation along with the files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { DEFAULT_RUN_SETTINGS } from '../../../src/shared/domain/run-settings.js';
import { startFakeModel, type FakeModel, type FakeReply, type FakeRequestContext } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { fixtureRepo, waitFor } from './support.js';

const LONG = 300_000;
let root: string;
let fake: FakeModel;
let host: Host;
let repo: string;

/** Per goal marker: what its requests get (a function may wait on a gate). */
const scripts = new Map<string, (ctx: FakeRequestContext, nth: number) => FakeReply | Promise<FakeReply>>();
const seen = new Map<string, number>();

function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

function requestsOf(marker: string): FakeRequestContext[] {
  return fake.requests.filter((ctx) => ctx.allUserText.includes(marker));
}

const never: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};

async function call<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
  const result = await host.dispatcher.invoke(channel, payload, { transport: 'local' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as CommandResponse<C>;
}

function openHost(): Promise<Host> {
  return createHost({
    mode: 'browser',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { env: claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }) },
  });
}

const status = (goalId: string) => host.stores.goals.get(goalId)?.status;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-lifecycle-'));
  fake = await startFakeModel(async (ctx) => {
    for (const [marker, script] of scripts) {
      if (!ctx.allUserText.includes(marker)) continue;
      const nth = seen.get(marker) ?? 0;
      seen.set(marker, nth + 1);
      return script(ctx, nth);
    }
    return { text: 'done' };
  });
  repo = fixtureRepo(root);
  host = await openHost();
});
afterAll(async () => {
  await host?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('goal lifecycle', () => {
  it(
    'queues goals over the limit, starts them in order, moves up and cancels while queued',
    async () => {
      await call('settings.update', { running: { ...DEFAULT_RUN_SETTINGS, maxRunningGoals: 1 } });
      const first = gate();
      scripts.set('queue-goal-A', async () => {
        await first.wait;
        return { text: 'A finished' };
      });
      scripts.set('queue-goal-B', () => ({ text: 'B finished' }));
      scripts.set('queue-goal-C', () => ({ text: 'C finished' }));
      const create = (marker: string) =>
        call('goal.create', {
          description: `${marker}: do it`,
          repoPath: repo,
          budget: { maxTurns: 1 },
          permissionMode: 'allow-all',
        });

      const a = await create('queue-goal-A');
      expect(a.queuePosition).toBeNull();
      const b = await create('queue-goal-B');
      const c = await create('queue-goal-C');
      expect([b.queuePosition, c.queuePosition]).toEqual([1, 2]);
      expect(status(b.goalId)).toBe('queued');
      expect((await call('goals.queue', {})).goalIds).toEqual([b.goalId, c.goalId]);

      expect(await call('goal.moveUp', { goalId: c.goalId })).toEqual({ position: 1 });
      expect((await call('goals.queue', {})).goalIds).toEqual([c.goalId, b.goalId]);
      await call('goal.cancel', { goalId: b.goalId });
      expect(status(b.goalId)).toBe('cancelled');
      expect((await call('goals.queue', {})).goalIds).toEqual([c.goalId]);

      // Only A runs: C waits for its slot.
      await waitFor(() => requestsOf('queue-goal-A').length > 0, 'goal A at the model', LONG);
      expect(requestsOf('queue-goal-C')).toHaveLength(0);
      first.open();
      await waitFor(
        () => host.runner.finished(a.goalId) === null && requestsOf('queue-goal-C').length > 0,
        'goal C started after A',
        LONG,
      );
      const outcome = await host.runner.finished(c.goalId);
      expect(outcome?.outcome.kind).toBe('done');
      expect(requestsOf('queue-goal-B')).toHaveLength(0);
      expect((await call('goals.queue', {})).goalIds).toEqual([]);
      await call('settings.update', { running: DEFAULT_RUN_SETTINGS });
    },
    LONG,
  );

  it(
    'a restart keeps a paused goal paused and lets a sleeping goal sleep on to its tick',
    async () => {
      const pausedTurn = gate();
      scripts.set('restart-paused', async (_ctx, nth) => {
        if (nth === 0) await pausedTurn.wait;
        return { text: `paused goal turn ${nth + 1}` };
      });
      scripts.set('restart-sleeping', (_ctx, nth) =>
        nth === 0
          ? { text: JSON.stringify({ __overseer_sleep__: true, duration_ms: 60_000, reason: 'waiting for CI' }) }
          : { text: 'awake now' },
      );
      const paused = await call('goal.create', {
        description: 'restart-paused: work',
        repoPath: repo,
        acceptance: [never],
        budget: { maxTurns: 3 },
        permissionMode: 'allow-all',
      });
      await waitFor(() => requestsOf('restart-paused').length > 0, 'the paused goal at the model', LONG);
      await call('goal.pause', { goalId: paused.goalId });
      pausedTurn.open();
      await waitFor(
        () => host.stores.turns.turnsForGoal(paused.goalId).some((turn) => turn.status === 'completed'),
        'the paused goal turn ended',
        LONG,
      );

      // The sleeper starts last, so its sleep (a minute) outlasts the restart even on a slow machine.
      const sleeping = await call('goal.create', {
        description: 'restart-sleeping: work',
        repoPath: repo,
        budget: { maxTurns: 3 },
        permissionMode: 'allow-all',
      });
      await waitFor(() => status(sleeping.goalId) === 'sleeping', 'the goal asleep', LONG);
      expect(status(paused.goalId)).toBe('paused');

      // Counted in the event log, not by watching the status: on a slow restart the time left can be
      // nearly nothing, and the goal is 'sleeping' again only for an instant before its tick turn.
      const sleepsLogged = (): number =>
        host.stores.events
          .eventsForGoal(sleeping.goalId, { limit: 10_000 })
          .filter((logged) => logged.event.kind === 'sleep_started').length;
      const sleepsBefore = sleepsLogged();
      await host.close();
      host = await openHost();
      expect(status(paused.goalId)).toBe('paused');
      // Reattached, it logs its sleep again (with the time left) once its workspace is reopened.
      await waitFor(() => sleepsLogged() > sleepsBefore, 'the goal asleep again', LONG);
      expect(host.reattached).toMatchObject({ paused: [paused.goalId], sleeping: [sleeping.goalId] });
      expect(host.runner.isRunning(paused.goalId)).toBe(true);

      // The sleeper wakes at its original time with the tick prompt.
      await waitFor(() => requestsOf('restart-sleeping').length > 1, 'the tick turn', LONG);
      expect(requestsOf('restart-sleeping')[1]?.lastUserText).toMatch(
        /<tick>\nkind: sleep_wake\nelapsed_ms: \d+\nreason: waiting for CI\n<\/tick>/,
      );
      expect((await host.runner.finished(sleeping.goalId))?.outcome.kind).toBe('done');

      // The paused goal did not move until resumed.
      expect(requestsOf('restart-paused')).toHaveLength(1);
      await call('goal.resume', { goalId: paused.goalId });
      await waitFor(() => requestsOf('restart-paused').length > 1, 'the resumed goal turn', LONG);
      await call('goal.cancel', { goalId: paused.goalId });
      expect((await host.runner.finished(paused.goalId))?.outcome.kind).toBe('cancelled');
    },
    2 * LONG,
  );

  it(
    'rolling back to before a turn rewinds the conversation: the next request no longer has the undone turn',
    async () => {
      const secondTurn = gate();
      scripts.set('rewind-goal', async (_ctx, nth) => {
        if (nth === 1) await secondTurn.wait;
        return { text: `REPLY-OF-TURN-${nth + 1}` };
      });
      const { goalId } = await call('goal.create', {
        description: 'rewind-goal: work',
        repoPath: repo,
        acceptance: [never],
        budget: { maxTurns: 3 },
        permissionMode: 'allow-all',
        onBudget: 'end',
      });
      await waitFor(() => requestsOf('rewind-goal').length > 1, 'the second turn at the model', LONG);
      await call('goal.pause', { goalId });
      secondTurn.open();
      await waitFor(
        () =>
          host.stores.turns.turnsForGoal(goalId).filter((turn) => turn.status === 'completed').length === 2 &&
          !host.runner.isTurnRunning(goalId),
        'two turns done',
        LONG,
      );
      expect(JSON.stringify(requestsOf('rewind-goal')[1]?.body.messages)).toContain('REPLY-OF-TURN-1');

      await call('goal.rollback', { goalId, turnIndex: 1, phase: 'pre' });
      await call('goal.resume', { goalId });
      await waitFor(() => requestsOf('rewind-goal').length > 2, 'the turn after the rollback', LONG);
      const after = requestsOf('rewind-goal')[2];
      const history = JSON.stringify(after?.body.messages);
      expect(history).toContain('REPLY-OF-TURN-1');
      expect(history).not.toContain('REPLY-OF-TURN-2');
      expect(history).not.toContain('[Turn 2/3]');
      expect(after?.lastUserText).toContain('[FILES ROLLED BACK]');
      expect(after?.lastUserText).toContain('the changes of turn 2 are undone');
      await host.runner.finished(goalId);
      expect(host.stores.sessionRewinds.pending(goalId)).toBeNull();
    },
    LONG,
  );
});
