// Stopping turns with the real CLI: cancel mid-turn while a Bash tool runs `sleep`, and "stop this
// turn now" with a note. Nothing may be left running afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { startRealDriver, type RealDriver } from './support/real-driver.js';
import { isAlive, processesMatching, uniqueSleepSeconds, waitUntil } from './support/procs.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

describe('stopping a turn', () => {
  it('cancel mid-turn (Bash sleep running) ends the goal cancelled with no process left behind', async () => {
    const seconds = uniqueSleepSeconds();
    d = await startRealDriver((ctx) =>
      ctx.index === 0
        ? { toolUses: [{ name: 'Bash', input: { command: `sleep ${seconds}`, description: 'wait' } }] }
        : { text: 'never reached' },
    );
    const goal = d.goal();
    const running = d.driver.runGoal(goal);
    await waitUntil(() => processesMatching(`sleep ${seconds}`).length > 0, 30_000, 'the Bash tool sleep');
    expect(d.driver.isTurnRunning(goal.id)).toBe(true);
    const claudePid = d.transcripts.current.get(goal.id);
    expect(claudePid).toBeDefined();
    d.driver.cancel(goal.id);
    const outcome = await running;
    expect(outcome.outcome).toEqual({ kind: 'cancelled' });
    expect(processesMatching(`sleep ${seconds}`)).toEqual([]);
    expect(isAlive(claudePid ?? 0)).toBe(false);
    expect(d.transcripts.current.has(goal.id)).toBe(false);
    expect(d.model.requests).toHaveLength(1);
    expect(d.events.kinds().at(-1)).toBe('goal_completed');
  });

  it('interrupt with stopTurn stops the running Bash tool and starts the next turn with the note', async () => {
    const seconds = uniqueSleepSeconds();
    d = await startRealDriver((ctx) => {
      if (ctx.index === 0)
        return { toolUses: [{ name: 'Bash', input: { command: `sleep ${seconds}`, description: 'wait' } }] };
      return { text: 'redirected' };
    });
    const goal = d.goal({ acceptance: [] });
    const running = d.driver.runGoal(goal);
    await waitUntil(() => processesMatching(`sleep ${seconds}`).length > 0, 30_000, 'the Bash tool sleep');
    d.driver.interrupt(goal.id, 'Stop waiting and finish.', { stopTurn: true });
    const outcome = await running;
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'redirected' });
    expect(processesMatching(`sleep ${seconds}`)).toEqual([]);
    const next = d.model.requests.at(-1);
    expect(next?.lastUserText).toContain('[OPERATOR INTERRUPT]\nStop waiting and finish.\n[END OPERATOR INTERRUPT]');
    expect(d.events.of('replay_decision')[0]).toMatchObject({
      errorMessage: 'stopped by operator',
      decision: { kind: 'next_turn' },
    });
    // The stopped turn's session is resumed: the next request carries the earlier exchange.
    expect(next?.allUserText).toContain('[Turn 1/40]');
  });
});
