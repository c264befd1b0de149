// Stops with the real CLI and the fake model, in both modes (the mode passed explicitly; the same
// behaviour is expected of each): "stop this turn" ends the turn's process and the next turn resumes
// the session in a new one; cancel ends the goal with nothing left running; the idle turn timeout ends
// the process and the turn; a paused goal lets its process go. Long-lived only: a live process killed
// between turns is replaced by a new one resuming the session.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaudeProcessMode } from '../../../src/main/driver/claude-process-mode.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';
import { isAlive, processesMatching, uniqueSleepSeconds, waitUntil } from './support/procs.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const hang = (seconds: string) => ({
  toolUses: [
    { name: 'Bash', input: { command: `python3 -c 'import time; time.sleep(${seconds})'`, description: 'hang' } },
  ],
});

const MODES: ClaudeProcessMode[] = ['per-turn', 'long-lived'];

describe.each(MODES)('%s Claude Code process: stops, timeouts and pauses', (mode) => {
  it('stop this turn ends the live process; the next turn resumes the session in a new one', async () => {
    const seconds = uniqueSleepSeconds();
    d = await startRealDriver((ctx) => (ctx.index === 0 ? hang(seconds) : { text: 'redirected' }), {
      claudeProcess: mode,
    });
    const goal = d.goal({ acceptance: [] });
    const running = d.driver.runGoal(goal);
    await waitUntil(() => processesMatching(`time.sleep(${seconds})`).length > 0, 60_000, 'the hanging tool');
    const firstPid = d.transcripts.current.get(goal.id) ?? 0;
    d.driver.interrupt(goal.id, 'Stop waiting and finish.', { stopTurn: true });
    const outcome = await running;
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'redirected' });
    expect(d.events.of('attempt_completed')[0]?.result.outcome).toMatchObject({ cause: 'stopped_by_operator' });
    expect(processesMatching(`time.sleep(${seconds})`)).toEqual([]);
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(pids).toHaveLength(2);
    expect(pids[0]).toBe(firstPid);
    expect(pids[1]).not.toBe(firstPid);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    const next = d.model.requests.at(-1);
    expect(next?.lastUserText).toContain('[OPERATOR INTERRUPT]\nStop waiting and finish.\n[END OPERATOR INTERRUPT]');
    expect(next?.allUserText).toContain('[Turn 1/40]');
  });

  it('cancel mid-turn ends the goal cancelled with nothing left running', async () => {
    const seconds = uniqueSleepSeconds();
    d = await startRealDriver((ctx) => (ctx.index === 0 ? hang(seconds) : { text: 'never reached' }), {
      claudeProcess: mode,
    });
    const goal = d.goal();
    const running = d.driver.runGoal(goal);
    await waitUntil(() => processesMatching(`time.sleep(${seconds})`).length > 0, 60_000, 'the hanging tool');
    const pid = d.transcripts.current.get(goal.id) ?? 0;
    d.driver.cancel(goal.id);
    const outcome = await running;
    expect(outcome.outcome).toEqual({ kind: 'cancelled' });
    expect(processesMatching(`time.sleep(${seconds})`)).toEqual([]);
    expect(isAlive(pid)).toBe(false);
    expect(d.transcripts.current.has(goal.id)).toBe(false);
    expect(d.model.requests).toHaveLength(1);
  });

  it('the idle turn timeout ends the process and the turn; the retry starts a new process', async () => {
    const seconds = uniqueSleepSeconds();
    d = await startRealDriver(() => hang(seconds), {
      claudeProcess: mode,
      turnTimeoutMs: 4000,
      killGraceMs: 3000,
    });
    const goal = d.goal({ acceptance: [] });
    const outcome = await d.driver.runGoal(goal);
    // Exactly what the per-turn runner gives (tests/integration/driver/turn-timeout.test.ts).
    expect(outcome.outcome).toEqual({
      kind: 'escalate',
      reason: 'transient errors persist after 1 retries: turn timeout: no output from Claude for 4 s',
    });
    expect(d.events.of('attempt_completed').map((e) => e.result.outcome)).toEqual([
      { kind: 'continue', reason: 'turn timeout: no output from Claude for 4 s', cause: 'turn_timeout' },
      { kind: 'continue', reason: 'turn timeout: no output from Claude for 4 s', cause: 'turn_timeout' },
    ]);
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    expect(processesMatching(`time.sleep(${seconds})`)).toEqual([]);
  });

  it('a paused goal lets its process go; after resume a new one resumes the session', async () => {
    let driverRef: RealDriver | null = null;
    let goalId = '';
    d = await startRealDriver(
      (ctx) => {
        if (ctx.index === 0) driverRef?.driver.pause(goalId);
        return { text: `turn reply ${ctx.index}` };
      },
      { claudeProcess: mode },
    );
    driverRef = d;
    const goal = d.goal({ acceptance: [{ ...neverMetShell }], budget: { maxTurns: 2 } });
    goalId = goal.id;
    const running = d.driver.runGoal(goal);
    await d.events.waitFor('attempt_completed', () => true, 240_000);
    const first = d.transcripts.processes[0]?.pid ?? 0;
    await waitUntil(() => !isAlive(first) && !d?.transcripts.current.has(goal.id), 60_000, 'the process to end');
    expect(d.driver.isPaused(goal.id)).toBe(true);
    d.driver.resume(goal.id);
    const outcome = await running;
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 2 });
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(first);
    const results = d.events.of('attempt_completed').map((e) => e.result);
    expect(results[1]?.sessionId).toBe(results[0]?.sessionId);
    expect(d.model.requests[1]?.allUserText).toContain('[Turn 1/2]');
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });
});

describe('long-lived Claude Code process: crashes between turns', () => {
  it('a process killed between turns is replaced by a new one that resumes the session', async () => {
    d = await startRealDriver((ctx) => ({ text: `turn reply ${ctx.index}` }), { claudeProcess: 'long-lived' });
    const goal = d.goal({ acceptance: [{ ...neverMetShell }], budget: { maxTurns: 2 } });
    // Kill the live process the moment the first turn completes, before the next turn starts.
    const events = d.events;
    const publish = events.publish.bind(events);
    let killed: number | null = null;
    const transcripts = d.transcripts;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    events.publish = (event) => {
      publish(event);
      if (event.kind === 'attempt_completed' && killed === null) {
        killed = transcripts.current.get(goal.id) ?? 0;
        // The case under test is a crash after Claude Code has saved the turn. It saves its session
        // file behind its stdout, so on a loaded machine a kill at once could lose the turn or the
        // whole file; then the next turn cannot resume and starts a fresh session (that path is the
        // lost-session case of long-lived-respawn.test.ts). Wait for the file to hold the reply.
        const sessionId = event.result.sessionId ?? '';
        const driverUnderTest = d;
        const saved = Date.now() + 60_000;
        while (
          driverUnderTest !== null &&
          !driverUnderTest.sessionFileHolds(sessionId, 'turn reply 0') &&
          Date.now() < saved
        )
          Atomics.wait(pause, 0, 0, 5);
        process.kill(killed, 'SIGKILL');
        // A SIGKILL is delivered when the kernel next schedules the process: on a busy machine it can
        // still look alive for a moment. Hold the driver here until it is dead, so the next turn starts
        // with the process gone (the case under test), not dying while its message is written (that is
        // the crash mid-turn case, long-lived-respawn.test.ts).
        const deadline = Date.now() + 60_000;
        while (isAlive(killed) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 5);
      }
    };
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 2 });
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(pids).toHaveLength(2);
    expect(pids[0]).toBe(killed);
    expect(pids[1]).not.toBe(killed);
    const results = d.events.of('attempt_completed').map((e) => e.result);
    // The second turn is an ordinary turn (the dead process was noticed before anything was written to it).
    expect(results[1]?.outcome).toMatchObject({ kind: 'needs_retry' });
    expect(results[1]?.sessionId).toBe(results[0]?.sessionId);
    expect(d.model.requests[1]?.allUserText).toContain('[Turn 1/2]');
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });
});

const neverMetShell = {
  kind: 'shell_command' as const,
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};
