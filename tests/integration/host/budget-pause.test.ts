// Budgets that pause and ask, and continuing a goal that ended, through the host's commands with the
// real Claude Code CLI against the fake model: a console goal waits at its turns cap ("paused at
// cap"), still waits after a host restart, goes on with "+1 turn" and ends with "End"; a done goal
// continues with a note in the same worktree and Claude session once its budget is extended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { startFakeModel, type FakeModel, type FakeRequestContext } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { claudeCwd, fixtureRepo, waitFor } from './support.js';

const LONG = 300_000;
let root: string;
let fake: FakeModel;
let host: Host;
let repo: string;

const never: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};

function requestsOf(marker: string): FakeRequestContext[] {
  return fake.requests.filter((ctx) => ctx.allUserText.includes(marker));
}

async function call<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
  const result = await host.dispatcher.invoke(channel, payload, { transport: 'local' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
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

const summary = (goalId: string) => host.stores.goals.summary(goalId);
const capPauses = (goalId: string) =>
  host.stores.events.eventsForGoal(goalId, { limit: 10_000 }).filter((logged) => logged.event.kind === 'budget_paused')
    .length;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-budget-pause-'));
  fake = await startFakeModel((ctx) => {
    const turns = ctx.allUserText.match(/CONTINUE-NOTE/g)?.length ?? 0;
    return { text: turns > 0 ? 'second answer' : 'FIRST-ANSWER' };
  });
  repo = fixtureRepo(root);
  host = await openHost();
});
afterAll(async () => {
  await host?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('budgets that pause and ask', () => {
  it(
    'waits at the turns cap, still waits after a restart, goes on with +1 turn and ends with End',
    async () => {
      const { goalId } = await call('goal.create', {
        description: 'cap-goal: work',
        repoPath: repo,
        acceptance: [never],
        budget: { maxTurns: 1 },
        permissionMode: 'allow-all',
      });
      expect(host.stores.goals.get(goalId)?.goal.onBudget).toBe('pause');
      await waitFor(() => summary(goalId)?.pausedAtCap === 'turns', 'the goal paused at its turns cap', LONG);
      expect(summary(goalId)?.status).toBe('paused');
      expect(requestsOf('cap-goal')).toHaveLength(1);
      expect(host.runner.isRunning(goalId)).toBe(true);
      const detail = await call('goal.get', { goalId });
      expect(detail.summary.pausedAtCap).toBe('turns');

      // Resume is not the way on at a cap: the operator is told what is.
      const resumed = await host.dispatcher.invoke('goal.resume', { goalId }, { transport: 'local' });
      expect(resumed.ok ? null : resumed.error.message).toMatch(/waits at its turns cap/);

      await host.close();
      host = await openHost();
      expect(host.reattached?.paused).toContain(goalId);
      await waitFor(
        () => summary(goalId)?.pausedAtCap === 'turns' && capPauses(goalId) === 2,
        'the goal waiting at its cap again after the restart',
        LONG,
      );
      expect(requestsOf('cap-goal')).toHaveLength(1);

      const { budget } = await call('goal.extendBudget', { goalId, extension: { turns: 1 } });
      expect(budget.maxTurns).toBe(2);
      expect(host.stores.goals.get(goalId)?.goal.budget.maxTurns).toBe(2);
      await waitFor(() => capPauses(goalId) === 3, 'the goal at its new cap after one more turn', LONG);
      expect(requestsOf('cap-goal')).toHaveLength(2);
      expect(summary(goalId)).toMatchObject({ status: 'paused', pausedAtCap: 'turns', totalTurns: 2 });

      await call('goal.endAtCap', { goalId });
      const outcome = await host.runner.finished(goalId);
      expect(outcome?.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
      expect(summary(goalId)).toMatchObject({ status: 'budget_exhausted', pausedAtCap: null });
    },
    3 * LONG,
  );

  it(
    'continues a done goal with a note in the same worktree and session, once its budget is extended',
    async () => {
      const { goalId } = await call('goal.create', {
        description: 'continue-goal: work',
        repoPath: repo,
        acceptance: [],
        budget: { maxTurns: 1 },
        permissionMode: 'allow-all',
      });
      expect((await host.runner.finished(goalId))?.outcome.kind).toBe('done');
      const firstSession = host.stores.sessionBindings.get(goalId)?.sessionId;
      expect(firstSession).toBeDefined();

      // The turn budget is used up: continuing without more turns is refused, naming the axis.
      const refused = await host.dispatcher.invoke(
        'goal.continue',
        { goalId, note: 'CONTINUE-NOTE add docs', extension: {} },
        { transport: 'local' },
      );
      expect(refused.ok ? null : refused.error).toMatchObject({
        code: 'failed_precondition',
        message: expect.stringMatching(/turns budget is used up/),
      });

      const continued = await call('goal.continue', {
        goalId,
        note: 'CONTINUE-NOTE add docs',
        extension: { turns: 2 },
      });
      expect(continued.budget.maxTurns).toBe(3);
      expect((await host.runner.finished(goalId))?.outcome.kind).toBe('done');

      const requests = requestsOf('continue-goal');
      expect(requests).toHaveLength(2);
      expect(requests[1]?.lastUserText).toContain('CONTINUE-NOTE add docs');
      // Same session: the model sees the first turn's answer; same worktree: the same working directory.
      expect(JSON.stringify(requests[1]?.body.messages)).toContain('FIRST-ANSWER');
      expect(claudeCwd(requests[1] as FakeRequestContext)).toBe(claudeCwd(requests[0] as FakeRequestContext));
      expect(summary(goalId)).toMatchObject({ status: 'done', totalTurns: 2 });
      const kinds = host.stores.events.eventsForGoal(goalId, { limit: 10_000 }).map((logged) => logged.event.kind);
      expect(kinds.filter((kind) => kind === 'goal_continued')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'turn_usage').length).toBeGreaterThan(0);

      // A running goal is not continued (it takes notes instead); an unknown one is not found.
      const unknown = await host.dispatcher.invoke(
        'goal.continue',
        { goalId: '00000000-0000-4000-8000-000000000000', note: 'x', extension: {} },
        { transport: 'local' },
      );
      expect(unknown.ok ? null : unknown.error.code).toBe('not_found');
    },
    2 * LONG,
  );
});
