// The replay policy with the real CLI in both modes (the mode passed explicitly; the same behaviour is
// expected of each): a turn that ends in an API error, retried in a fresh session (in long-lived mode
// the live process must not carry the failed session into the retry), a bound session Claude Code
// cannot resume, and a bridge that starts too late: per turn, the process starts without the permission
// tool (one retry with a fresh bridge in a new process, then escalate); a live process asks on its own
// stdio and never starts the bridge.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaudeProcessMode } from '../../../src/main/driver/claude-process-mode.js';
import { sourceBridge, startRealDriver, type RealDriver } from './support/real-driver.js';
import { isAlive } from './support/procs.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const MODES: ClaudeProcessMode[] = ['per-turn', 'long-lived'];

describe.each(MODES)('%s Claude Code process and the replay policy', (mode) => {
  it('API 529 overloaded → the fresh-session retry runs in a new process and a new session', async () => {
    d = await startRealDriver(
      (ctx) =>
        ctx.index < 3
          ? { httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }
          : { text: 'recovered' },
      { claudeProcess: mode },
    );
    const goal = d.goal();
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1, finalText: 'recovered' });
    expect(d.events.of('replay_decision')[0]?.decision.kind).toBe('fresh_session_retry');
    const sessions = d.events.of('attempt_completed').map((e) => e.result.sessionId);
    expect(sessions[1]).not.toBe(sessions[0]);
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });

  it('a bound session that cannot be resumed → fresh session retry, as per turn', async () => {
    d = await startRealDriver(() => ({ text: 'fresh start' }), { claudeProcess: mode });
    const goal = d.goal();
    const bogus = randomUUID();
    d.bindings.upsert({ goalId: goal.id, sessionId: bogus, model: null, workspace: null });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1, finalText: 'fresh start' });
    expect(d.events.of('attempt_completed')[0]?.result.outcome).toEqual({
      kind: 'continue',
      reason: 'session invalid: retrying',
      cause: 'session_invalid',
    });
    expect(d.events.of('replay_decision')[0]?.decision.kind).toBe('fresh_session_retry');
    expect(d.bindings.get(goal.id)?.sessionId).not.toBe(bogus);
    expect(d.model.requests).toHaveLength(1);
  });
});

const delayedBridge = {
  bridge: sourceBridge(['/bin/sh', '-c', 'sleep 30; exec "$@"', 'delayed-bridge']),
  extraEnv: { MCP_CONNECTION_NONBLOCKING: 'true' },
};

describe('a permission bridge that starts too late', () => {
  // Per turn, Claude reaches the permission path through the MCP bridge, whose start can lose the race.
  it('started without the permission tool twice: one retry in a new process, then the goal escalates saying why', async () => {
    d = await startRealDriver(
      () => ({ toolUses: [{ name: 'Write', input: { file_path: 'never.txt', content: 'no\n' } }] }),
      { claudeProcess: 'per-turn' },
      delayedBridge,
    );
    const goal = d.goal({ acceptance: [] });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.outcome).toMatchObject({
      kind: 'escalate',
      reason: expect.stringMatching(
        /^permission tool missing: Claude Code twice started without Overseer's permission tool .*MCP tool mcp__overseer__permission_prompt/,
      ),
    });
    expect(outcome.totalTurns).toBe(1);
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    expect(
      d.events
        .of('driver_warning')
        .map((e) => e.message)
        .join('\n'),
    ).toContain('retrying the turn once with a fresh bridge');
  });

  // A live process sends its prompts on its own stdio: no bridge is started, so none can be late.
  it('a bridge that would start too late is never needed: the prompt comes on stdio', async () => {
    d = await startRealDriver(
      (ctx) =>
        ctx.lastToolResults.length > 0
          ? { text: 'written' }
          : { toolUses: [{ name: 'Write', input: { file_path: 'stdio.txt', content: 'yes\n' } }] },
      { claudeProcess: 'long-lived' },
      delayedBridge,
    );
    const goal = d.goal({ acceptance: [] });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1, finalText: 'written' });
    expect(d.events.of('permission_decided').map((e) => [e.toolName, e.decision.behavior])).toEqual([
      ['Write', 'allow'],
    ]);
    expect(d.model.requests.flatMap((r) => r.lastToolResults.filter((t) => t.isError))).toEqual([]);
    expect(new Set(d.transcripts.processes.map((p) => p.pid)).size).toBe(1);
  });
});
