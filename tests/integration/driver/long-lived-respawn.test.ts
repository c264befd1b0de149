// When the long-lived runner replaces its process, with the real CLI and the fake model: settings that
// change the argv between turns (the model, then the disallowed tools) start a new process that carries
// them, and a Claude process killed in the middle of a turn (while the fake model holds the response)
// gives the turn the per-turn runner's verdict (no_result), leaves nothing running, and the next turn
// resumes the session in a new process and completes. The crash case runs in both modes, the mode passed explicitly.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AcceptanceCriterion, Goal } from '../../../src/shared/domain/goal.js';
import { DefaultAcceptanceEvaluator } from '../../../src/main/driver/acceptance.js';
import { TurnStop } from '../../../src/main/driver/attempt-port.js';
import { LongLivedAttemptRunner } from '../../../src/main/driver/long-lived.js';
import type { ClaudeProcessMode } from '../../../src/main/driver/claude-process-mode.js';
import type { Workspace } from '../../../src/main/driver/ports.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { makeGoal } from '../../unit/driver/support/goals.js';
import { MemoryBindings, MemoryEventSink, MemoryTranscripts } from '../../unit/driver/support/memory-ports.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';
import { isAlive, waitUntil } from './support/procs.js';

const neverMet: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};

function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('long-lived runner: settings that change the argv between turns', () => {
  let model: FakeModel | null = null;
  let root: string | null = null;
  let runner: LongLivedAttemptRunner | null = null;
  let goalId: Goal['id'] | null = null;
  afterEach(async () => {
    if (runner !== null && goalId !== null) await runner.releaseGoal(goalId);
    await model?.close();
    if (root !== null) rmSync(root, { recursive: true, force: true });
    model = null;
    root = null;
    runner = null;
    goalId = null;
  });

  it('a new model or new tools start a new process that carries them; the same settings keep the process', async () => {
    model = await startFakeModel((ctx) => ({ text: `reply ${ctx.index}` }));
    root = realpathSync(mkdtempSync(join(tmpdir(), 'long-lived-argv-')));
    const path = join(root, 'work');
    mkdirSync(path);
    const transcripts = new MemoryTranscripts();
    const events = new MemoryEventSink();
    const bindings = new MemoryBindings();
    const env = claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') });
    runner = new LongLivedAttemptRunner(
      {
        claudeBin,
        extraArgs: [],
        settingSources: 'user',
        permissionPromptTool: null,
        env,
        turnTimeoutMs: 90_000,
        killGraceMs: 3000,
      },
      { bindings, transcripts, events, acceptance: new DefaultAcceptanceEvaluator({ env }) },
    );
    const first = makeGoal({ repoPath: path, acceptance: [neverMet], model: 'claude-sonnet-4-5' });
    goalId = first.id;
    const workspace: Workspace = {
      goalId: first.id,
      path,
      repoPath: path,
      kind: 'no_git',
      branch: null,
      baseCommit: null,
    };
    const usage = {
      turns: 0,
      tokens: 0,
      costUsd: 0,
      wallTimeMs: 0,
      consecutiveDenies: 0,
      consecutiveErrors: 0,
      consecutive413: 0,
    };
    const turn = async (goal: Goal, turnIndex: number) => {
      const output = await runner!.run({
        goal,
        workspace,
        turnIndex,
        usage,
        prompt: `[Turn ${turnIndex}] go on`,
        compact: false,
        mcpConfigPath: null,
        stop: new TurnStop(),
      });
      if (output.sessionId !== null) {
        bindings.upsert({ goalId: goal.id, sessionId: output.sessionId, model: goal.model, workspace: path });
      }
      return output;
    };

    const outputs = [
      await turn(first, 0),
      await turn(first, 1),
      await turn({ ...first, model: 'claude-haiku-4-5' }, 2),
      await turn({ ...first, model: 'claude-haiku-4-5', tools: { ...noTools, disallowed: ['WebFetch'] } }, 3),
    ];
    expect(outputs.map((o) => o.outcome.kind)).toEqual(['needs_retry', 'needs_retry', 'needs_retry', 'needs_retry']);
    const pids = transcripts.processes.map((p) => p.pid);
    expect(pids).toHaveLength(4);
    // Same settings: one process. A new model: a new one. New tools: another.
    expect(pids[1]).toBe(pids[0]);
    expect(new Set([pids[1], pids[2], pids[3]]).size).toBe(3);
    expect(pids.slice(0, 3).filter((pid) => isAlive(pid))).toEqual([]);
    // The conversation goes on in each new process (resumed), and each request carries its settings.
    expect(new Set(outputs.map((o) => o.sessionId)).size).toBe(1);
    const requests = model.requests;
    expect(requests.map((r) => r.body.model)).toEqual([
      'claude-sonnet-4-5',
      'claude-sonnet-4-5',
      'claude-haiku-4-5',
      'claude-haiku-4-5',
    ]);
    const toolNames = (index: number) => (requests[index]?.body.tools ?? []).map((tool) => toolName(tool));
    expect(toolNames(2)).toContain('WebFetch');
    expect(toolNames(3)).not.toContain('WebFetch');
    expect(toolNames(3)).toContain('Write');
    expect(requests[3]?.allUserText).toContain('[Turn 0] go on');
    expect(requests[3]?.allUserText).toContain('[Turn 2] go on');
  });
});

const noTools = { allowed: [], disallowed: [], addDirs: [], appendSystemPrompt: null };

function toolName(tool: unknown): string {
  return typeof tool === 'object' && tool !== null && 'name' in tool && typeof tool.name === 'string' ? tool.name : '';
}

const MODES: ClaudeProcessMode[] = ['per-turn', 'long-lived'];

describe.each(MODES)('%s: Claude Code killed in the middle of a turn', (mode) => {
  let d: RealDriver | null = null;
  afterEach(async () => {
    await d?.close();
    d = null;
  });

  it('the turn ends as a crash of the process, nothing is left running, the next turn resumes and completes', async () => {
    const held = gate();
    d = await startRealDriver(
      async (ctx) => {
        if (ctx.index === 0) await held.wait;
        return { text: ctx.index === 0 ? 'never read' : 'finished after the crash' };
      },
      { claudeProcess: mode },
    );
    const goal = d.goal({ acceptance: [] });
    const running = d.driver.runGoal(goal);
    const model = d.model;
    await waitUntil(() => model.requests.length > 0, 120_000, 'the first request at the model');
    const transcripts = d.transcripts;
    const killed = transcripts.current.get(goal.id) ?? 0;
    expect(killed).toBeGreaterThan(0);
    process.kill(killed, 'SIGKILL');
    await waitUntil(() => !isAlive(killed), 30_000, 'the killed process to be gone');
    held.open();
    const outcome = await running;

    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2, finalText: 'finished after the crash' });
    const results = d.events.of('attempt_completed').map((e) => e.result);
    const [crashed, ...after] = results;
    // What the per-turn runner gives a process that ended without a result line (in both modes).
    expect(crashed?.outcome).toEqual({
      kind: 'continue',
      reason: 'stream ended without result event',
      cause: 'no_result',
    });
    expect(d.events.of('replay_decision')[0]?.decision.kind).toBe('next_turn');
    // The next turn completes the goal, in the session the killed process was on (--resume), which
    // holds the first prompt. Claude Code writes its session file as it goes: a SIGKILL that lands
    // before the first prompt reached the file leaves no session to resume (seen on a loaded machine).
    // Then --resume fails once (session_invalid) and the driver retries the turn in a fresh session,
    // as it does for any lost session; the turn still completes.
    const last = after.at(-1);
    expect(last).toMatchObject({ turnIndex: 1, outcome: { kind: 'done' } });
    expect(after.every((result) => result.turnIndex === 1)).toBe(true);
    const retries = after.slice(0, -1);
    expect(retries.map((result) => result.outcome)).toEqual(
      retries.map(() => ({ kind: 'continue', reason: 'session invalid: retrying', cause: 'session_invalid' })),
    );
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(pids[0]).toBe(killed);
    expect(pids.slice(1)).not.toContain(killed);
    expect(d.model.requests.at(-1)?.lastUserText).toContain('[Turn 2/40]');
    if (retries.length === 0) {
      expect(last?.sessionId).toBe(crashed?.sessionId);
      expect(d.model.requests.at(-1)?.allUserText).toContain('[Turn 1/40]');
    } else {
      console.warn(`the killed process left no session to resume (${retries.length} session_invalid retry)`);
    }
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    expect(d.transcripts.current.has(goal.id)).toBe(false);
  });
});
