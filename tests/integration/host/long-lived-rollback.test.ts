// A rollback with the host driving Claude Code in long-lived mode (the real CLI and the fake model): the
// first turn after the rollback runs in a process of its own that resumes the conversation cut before
// the undone turn (the next request no longer has it), and the turn after that is back in one live
// process that goes on from the rewound conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { fixtureRepo, waitFor } from './support.js';

const LONG = 300_000;
let root: string;
let fake: FakeModel;
let host: Host;
let repo: string;
let secondTurnHeld: Promise<void>;
let releaseSecondTurn: () => void = () => {};

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

/** Every pid the host records for a goal's turns, in order (the store keeps only the current one). */
const recorded: { turnIndex: number; pid: number }[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-long-lived-rollback-'));
  secondTurnHeld = new Promise<void>((resolve) => (releaseSecondTurn = resolve));
  fake = await startFakeModel(async (ctx) => {
    if (ctx.index === 1) await secondTurnHeld;
    return { text: `REPLY-OF-TURN-${ctx.index + 1}` };
  });
  repo = fixtureRepo(root);
  host = await createHost({
    mode: 'browser',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: {
      claudeProcess: 'long-lived',
      env: claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }),
    },
  });
  const transcripts = host.stores.transcripts;
  const record = transcripts.recordProcess.bind(transcripts);
  transcripts.recordProcess = (goalId, turnIndex, pid, startedAt) => {
    recorded.push({ turnIndex, pid });
    record(goalId, turnIndex, pid, startedAt);
  };
});
afterAll(async () => {
  await host?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('long-lived mode: rollback', () => {
  it(
    'the turn after a rollback resumes the cut conversation in its own process; the next is in a live one again',
    async () => {
      const { goalId } = await call('goal.create', {
        description: 'rewind in long-lived mode',
        repoPath: repo,
        acceptance: [never],
        budget: { maxTurns: 5 },
        permissionMode: 'allow-all',
        onBudget: 'end',
      });
      await waitFor(() => fake.requests.length > 1, 'the second turn at the model', LONG);
      await call('goal.pause', { goalId });
      releaseSecondTurn();
      await waitFor(
        () =>
          host.stores.turns.turnsForGoal(goalId).filter((turn) => turn.status === 'completed').length === 2 &&
          !host.runner.isTurnRunning(goalId),
        'two turns done',
        LONG,
      );
      // Turns 1 and 2 ran in one live process.
      expect(recorded.map((r) => r.turnIndex)).toEqual([0, 1]);
      expect(recorded[1]?.pid).toBe(recorded[0]?.pid);
      expect(JSON.stringify(fake.requests[1]?.body.messages)).toContain('REPLY-OF-TURN-1');

      await call('goal.rollback', { goalId, turnIndex: 1, phase: 'pre' });
      await call('goal.resume', { goalId });
      const outcome = await host.runner.finished(goalId);
      expect(outcome?.outcome).toMatchObject({ kind: 'budget_exhausted', axis: 'turns' });

      // The turn after the rollback: the undone turn is gone from the conversation.
      const after = fake.requests[2];
      const history = JSON.stringify(after?.body.messages);
      expect(history).toContain('REPLY-OF-TURN-1');
      expect(history).not.toContain('REPLY-OF-TURN-2');
      expect(history).not.toContain('[Turn 2/5]');
      expect(after?.lastUserText).toContain('[FILES ROLLED BACK]');
      expect(after?.lastUserText).toContain('the changes of turn 2 are undone');
      // The turns after it go on from the rewound conversation.
      const last = JSON.stringify(fake.requests.at(-1)?.body.messages);
      expect(last).toContain('REPLY-OF-TURN-3');
      expect(last).not.toContain('REPLY-OF-TURN-2');
      expect(host.stores.sessionRewinds.pending(goalId)).toBeNull();

      // Processes: the rewound turn (the counter goes on: index 2) in its own, the two after it in one
      // new live process.
      expect(recorded.map((r) => r.turnIndex)).toEqual([0, 1, 2, 3, 4]);
      const [, second, rewound, third, fourth] = recorded.map((r) => r.pid);
      expect(rewound).not.toBe(second);
      expect(third).not.toBe(rewound);
      expect(fourth).toBe(third);
      expect(host.stores.transcripts.recordedProcesses().filter((p) => p.goalId === goalId)).toEqual([]);
    },
    LONG,
  );
});
