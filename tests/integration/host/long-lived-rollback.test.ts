// A rollback with the host driving Claude Code (the real CLI and the fake model), in both modes (passed
// explicitly): the first turn after the rollback resumes the conversation cut before the undone turn
// (the next request no longer has it) in a process of its own, and the turns after it go on from the
// rewound conversation: in long-lived mode in one new live process, per turn in a process each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import type { ClaudeProcessMode } from '../../../src/main/driver/claude-process-mode.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { fixtureRepo, waitFor } from './support.js';

const LONG = 300_000;
const MODES: ClaudeProcessMode[] = ['per-turn', 'long-lived'];

describe.each(MODES)('%s: rollback', (mode) => {
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
    root = mkdtempSync(join(tmpdir(), `overseer-rollback-${mode}-`));
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
        claudeProcess: mode,
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

  it(
    'the turn after a rollback resumes the cut conversation in its own process; the turns after it go on from there',
    async () => {
      const { goalId } = await call('goal.create', {
        description: `rewind in ${mode} mode`,
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
      // Long-lived: turns 1 and 2 ran in one live process; per turn in one each.
      expect(recorded.map((r) => r.turnIndex)).toEqual([0, 1]);
      if (mode === 'long-lived') expect(recorded[1]?.pid).toBe(recorded[0]?.pid);
      else expect(recorded[1]?.pid).not.toBe(recorded[0]?.pid);
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

      // Processes: the rewound turn (the counter goes on: index 2) in its own; the two after it in one new
      // live process (long-lived) or one each (per turn).
      expect(recorded.map((r) => r.turnIndex)).toEqual([0, 1, 2, 3, 4]);
      const [, second, rewound, third, fourth] = recorded.map((r) => r.pid);
      expect(rewound).not.toBe(second);
      expect(third).not.toBe(rewound);
      if (mode === 'long-lived') expect(fourth).toBe(third);
      else expect(fourth).not.toBe(third);
      expect(host.stores.transcripts.recordedProcesses().filter((p) => p.goalId === goalId)).toEqual([]);
    },
    LONG,
  );
});
