// "Stop this turn now" landing at the awkward points of a turn, with the real CLI: during the pre-turn
// checkpoint (the drained notes come back, the turn is not counted), during the post-turn checkpoint
// of a turn that asked to sleep (the stop wakes it), and while acceptance checks run (no fake
// "cancelled" failures).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspacePort } from '../../../src/main/driver/ports.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';
import { uniqueSleepSeconds, waitUntil } from './support/procs.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

type Hook = (turnIndex: number, phase: 'pre' | 'post') => void;

/** The real workspace port, with `hook` called (once per checkpoint) before each snapshot. */
function withCheckpointHook(hook: { current: Hook }): (port: WorkspacePort) => WorkspacePort {
  return (port) => ({
    ensure: (goal) => port.ensure(goal),
    checkpoint: (ws, turnIndex, phase, options) => {
      hook.current(turnIndex, phase);
      return port.checkpoint(ws, turnIndex, phase, options);
    },
    diffStat: (ws, from, to) => port.diffStat(ws, from, to),
    rollback: (ws, sha) => port.rollback(ws, sha),
  });
}

describe('stop this turn at the awkward points', () => {
  it('during the pre-turn checkpoint: Claude is not started, the turn is not counted, both notes reach the next prompt', async () => {
    const hook: { current: Hook } = { current: () => {} };
    const r = await startRealDriver(() => ({ text: 'noted' }), {}, { wrapWorkspaces: withCheckpointHook(hook) });
    d = r;
    const goal = r.goal({ acceptance: [] });
    let fired = false;
    hook.current = (turnIndex, phase) => {
      if (fired || turnIndex !== 0 || phase !== 'pre') return;
      fired = true;
      r.driver.interrupt(goal.id, 'late note', { stopTurn: true });
    };
    r.driver.preRegister(goal.id);
    r.driver.interrupt(goal.id, 'early note');
    const outcome = await r.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1 });
    expect(r.transcripts.processes).toHaveLength(1);
    expect(r.model.requests).toHaveLength(1);
    expect(r.model.requests[0]?.lastUserText).toContain(
      '[OPERATOR INTERRUPT]\nearly note\nlate note\n[END OPERATOR INTERRUPT]',
    );
  });

  it(
    'during the post-turn checkpoint of a turn that asks to sleep: the stop wakes the goal at once',
    { timeout: 240_000 },
    async () => {
      const hook: { current: Hook } = { current: () => {} };
      const r = await startRealDriver(
        (ctx) =>
          ctx.index === 0
            ? { text: JSON.stringify({ __overseer_sleep__: true, duration_ms: 3_600_000, reason: 'waiting for CI' }) }
            : { text: 'continuing' },
        {},
        { wrapWorkspaces: withCheckpointHook(hook) },
      );
      d = r;
      const goal = r.goal({ acceptance: [] });
      hook.current = (turnIndex, phase) => {
        if (turnIndex === 0 && phase === 'post') r.driver.interrupt(goal.id, 'CI is green', { stopTurn: true });
      };
      const outcome = await r.driver.runGoal(goal);
      expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'continuing' });
      expect(r.model.requests[1]?.lastUserText).toContain('[OPERATOR INTERRUPT]\nCI is green\n');
    },
  );

  it(
    'while acceptance runs: the checks are stopped, no "cancelled" failures are reported, the next turn has the note',
    { timeout: 240_000 },
    async () => {
      const seconds = uniqueSleepSeconds();
      const r = await startRealDriver((ctx) => ({ text: ctx.index === 0 ? 'first try' : 'second try' }));
      d = r;
      const marker = join(r.root, 'acceptance-started');
      const command = `if [ ! -e '${marker}' ]; then touch '${marker}'; python3 -c 'import time; time.sleep(${seconds})'; fi`;
      const goal = r.goal({
        acceptance: [{ kind: 'shell_command', command, expectedExit: 0, stdoutMustMatch: null, timeoutSecs: 600 }],
      });
      const running = r.driver.runGoal(goal);
      await waitUntil(() => existsSync(marker), 120_000, 'the acceptance check to start');
      r.driver.interrupt(goal.id, 'skip the slow check', { stopTurn: true });
      const outcome = await running;
      expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
      const first = r.events.of('attempt_completed')[0]?.result;
      expect(first?.outcome).toEqual({ kind: 'continue', reason: 'stopped by operator', cause: 'stopped_by_operator' });
      expect(first?.acceptance).toBeNull();
      expect(r.events.of('acceptance').map((e) => e.verdict.met)).toEqual([true]);
      expect(r.model.requests[1]?.lastUserText).toContain('skip the slow check');
    },
  );
});
