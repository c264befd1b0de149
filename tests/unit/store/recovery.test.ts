import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime, stopProcess } from '../../../src/main/store/index.js';
import { attemptResult, makeGoal, tempStores, usage } from './helpers.js';

type Harness = ReturnType<typeof tempStores>;
let harness: Harness | null = null;
const children: ChildProcess[] = [];

afterEach(() => {
  harness?.cleanup();
  harness = null;
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** A long-running node child; `ignoreTerm` makes it shrug off SIGTERM. Resolves once it is ready. */
async function longRunningChild(options: { ignoreTerm?: boolean; detached?: boolean } = {}): Promise<ChildProcess> {
  const script = `${options.ignoreTerm === true ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); console.log('ready');`;
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: options.detached ?? false,
  });
  children.push(child);
  const stdout = child.stdout;
  if (stdout === null) throw new Error('no stdout');
  await once(stdout, 'data');
  return child;
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('child has no pid');
  return child.pid;
}

const linuxOnly = process.platform === 'linux' ? it : it.skip;

describe('processStartTime / stopProcess', () => {
  linuxOnly('identifies a live process stably and says null for a dead one', async () => {
    const own = processStartTime(process.pid);
    expect(own).toMatch(/^linux:[^:]+:\d+$/);
    expect(processStartTime(process.pid)).toBe(own);
    expect(processStartTime(-1)).toBeNull();
    expect(processStartTime(0)).toBeNull();

    const child = await longRunningChild();
    const pid = pidOf(child);
    const started = processStartTime(pid);
    expect(started).not.toBeNull();
    expect(started).not.toBe(own);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(processStartTime(pid)).toBeNull();
  });

  linuxOnly('SIGTERMs a process group leader; SIGKILLs one that ignores SIGTERM', async () => {
    const polite = await longRunningChild({ detached: true });
    const politePid = pidOf(polite);
    const politeExit = once(polite, 'exit');
    expect(await stopProcess(politePid, processStartTime(politePid) ?? '', { graceMs: 5000 })).toBe('terminated');
    const [, politeSignal] = await politeExit;
    expect(politeSignal).toBe('SIGTERM');

    const stubborn = await longRunningChild({ ignoreTerm: true });
    const stubbornPid = pidOf(stubborn);
    const stubbornExit = once(stubborn, 'exit');
    expect(await stopProcess(stubbornPid, processStartTime(stubbornPid) ?? '', { graceMs: 200 })).toBe('killed');
    const [, stubbornSignal] = await stubbornExit;
    expect(stubbornSignal).toBe('SIGKILL');
  });
});

describe('recoverAtStart', () => {
  linuxOnly(
    'interrupts running goals (paused and sleeping keep their state), stops their recorded processes, expires pending requests',
    async () => {
      const h = (harness = tempStores());
      const { stores } = h;
      const running = makeGoal({ description: 'running goal' });
      const paused = makeGoal({ description: 'paused goal' });
      const sleeping = makeGoal({ description: 'sleeping goal' });
      const finished = makeGoal({ description: 'finished goal' });
      const pending = makeGoal({ description: 'never started' });
      for (const goal of [running, paused, sleeping, finished]) {
        stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
      }
      stores.goals.insert(pending);
      stores.events.append({
        kind: 'attempt_started',
        goalId: running.id,
        turnIndex: 0,
        usage: usage(),
        compact: false,
        prompt: '',
      });
      stores.events.append({ kind: 'goal_paused', goalId: paused.id });
      stores.events.append({ kind: 'sleep_started', goalId: sleeping.id, durationMs: 1000, reason: 'wait' });
      stores.events.append({
        kind: 'goal_completed',
        goalId: finished.id,
        outcome: {
          goalId: finished.id,
          outcome: { kind: 'done' },
          error: null,
          totalTurns: 0,
          usage: usage(),
          finalText: null,
          acceptance: null,
          elapsedMs: 1,
        },
      });

      const claude = await longRunningChild({ detached: true });
      const claudePid = pidOf(claude);
      const claudeExit = once(claude, 'exit');
      stores.transcripts.recordProcess(running.id, 0, claudePid, processStartTime(claudePid) ?? '');
      // A recorded pid whose start time no longer matches (the pid was reused): must be left alone.
      const bystander = await longRunningChild();
      const bystanderPid = pidOf(bystander);
      stores.transcripts.recordProcess(paused.id, 0, bystanderPid, 'linux:some-other-boot:1');

      const request = {
        id: randomUUID(),
        goalId: running.id,
        turnIndex: 0,
        toolName: 'Bash',
        toolUseId: '',
        input: {},
        createdAt: 't',
      };
      stores.permissions.insertPending(request);

      const summary = await stores.recoverAtStart(new Date('2025-06-01T00:00:00.000Z'), { graceMs: 5000 });

      expect(new Map(summary.interruptedGoals.map((g) => [g.goalId, g.previousStatus]))).toEqual(
        new Map([[running.id, 'running']]),
      );
      expect(summary.processes).toEqual(
        expect.arrayContaining([
          { goalId: running.id, turnIndex: 0, pid: claudePid, result: 'terminated' },
          { goalId: paused.id, turnIndex: 0, pid: bystanderPid, result: 'not_running' },
        ]),
      );
      expect(summary.expiredPermissionRequests).toBe(1);
      expect(summary.interruptedTurns).toBe(1);
      await claudeExit;
      expect(bystander.exitCode).toBeNull();
      expect(processStartTime(bystanderPid)).not.toBeNull();

      expect(stores.goals.get(running.id)?.status).toBe('interrupted');
      const last = stores.events.eventsForGoal(running.id, { limit: 1 })[0]?.event;
      expect(last).toMatchObject({ kind: 'driver_warning', message: expect.stringContaining('interrupted') });
      expect(stores.goals.get(paused.id)?.status).toBe('paused');
      expect(stores.goals.get(sleeping.id)?.status).toBe('sleeping');
      // A sleeping goal's wake time comes from its last sleep_started event.
      const sleep = stores.resumeInfo(sleeping.id)?.sleep;
      expect(sleep?.reason).toBe('wait');
      expect((sleep?.wakeAt ?? 0) - (sleep?.startedAt ?? 0)).toBe(1000);
      expect(stores.resumeInfo(paused.id)?.sleep).toBeNull();
      expect(stores.goals.get(finished.id)?.status).toBe('done');
      expect(stores.goals.get(pending.id)?.status).toBe('pending');
      expect(stores.turns.turnsForGoal(running.id)[0]?.status).toBe('interrupted');
      expect(stores.transcripts.recordedProcesses()).toEqual([]);
      expect(stores.permissions.get(request.id)?.status).toBe('expired');

      // A second start finds nothing left to do.
      const again = await stores.recoverAtStart();
      expect(again).toEqual({ interruptedGoals: [], processes: [], expiredPermissionRequests: 0, interruptedTurns: 0 });
    },
  );

  it('resumeInfo gives the goal, usage, turn count and the valid session binding', () => {
    const h = (harness = tempStores());
    const { stores } = h;
    const goal = makeGoal();
    stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    stores.events.append({
      kind: 'attempt_started',
      goalId: goal.id,
      turnIndex: 0,
      usage: usage(),
      compact: false,
      prompt: '',
    });
    stores.events.append({ kind: 'attempt_completed', goalId: goal.id, result: attemptResult(goal.id, 0) });
    stores.sessionBindings.upsert({ goalId: goal.id, sessionId: 'sess-9', model: null, workspace: '/w' });

    const info = stores.resumeInfo(goal.id);
    expect(info).toMatchObject({
      goal,
      status: 'running',
      usage: { turns: 1, tokens: 1000 },
      totalTurns: 1,
      sessionBinding: { goalId: goal.id, sessionId: 'sess-9', workspace: '/w' },
    });
    stores.sessionBindings.markInvalid(goal.id);
    expect(stores.resumeInfo(goal.id)?.sessionBinding).toBeNull();
    expect(stores.resumeInfo(randomUUID())).toBeNull();
  });
});
