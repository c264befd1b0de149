// The long-lived runner (OVERSEER_CLAUDE_PROCESS=long-lived) beside the per-turn fallback, with the
// real CLI and the fake model: several turns in one Claude Code process, each with its own transcript
// lines, tokens and cost (the same totals as the per-turn runner for the same script); a permission
// prompt through the goal's bridge on a later turn and a compaction that runs as a process of its own
// (both modes, the mode passed explicitly: the same goal behaviour, each mode's own processes); a
// process replaced after its turns; nothing left running once the goal ends.
import { afterEach, describe, expect, it } from 'vitest';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { DEFAULT_AUTO_COMPACTION } from '../../../src/main/driver/compact.js';
import type { ClaudeProcessMode } from '../../../src/main/driver/claude-process-mode.js';
import type { FakeScript } from '../../fake-model/server.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';
import { isAlive } from './support/procs.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const neverMet: AcceptanceCriterion = {
  kind: 'shell_command',
  command: 'test -f never.txt',
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
};

/** Each turn writes a file (a tool call, then a reply), with usage that differs from turn to turn. */
const writingScript: FakeScript = (ctx) => {
  const usage = { input_tokens: 1000 + 100 * ctx.index, output_tokens: 10 + ctx.index };
  if (ctx.lastToolResults.length > 0) return { text: `wrote it (${ctx.index})`, usage };
  return { toolUses: [{ name: 'Write', input: { file_path: `turn-${ctx.index}.txt`, content: 'x\n' } }], usage };
};

const MODES: ClaudeProcessMode[] = ['per-turn', 'long-lived'];

async function threeTurns(mode: ClaudeProcessMode) {
  d = await startRealDriver(writingScript, { claudeProcess: mode });
  const goal = d.goal({ acceptance: [neverMet], budget: { maxTurns: 3 } });
  const outcome = await d.driver.runGoal(goal);
  const results = d.events.of('attempt_completed').map((e) => e.result);
  const pids = d.transcripts.processes.map((p) => p.pid);
  const lineTurns = [...new Set(d.transcripts.lines.map((line) => line.turnIndex))];
  const resultCosts = d.events
    .of('turn_output')
    .flatMap((e) => (e.entry.type === 'result' ? [[e.turnIndex, e.entry.costUsd]] : []));
  const leftRunning = pids.filter((pid) => isAlive(pid));
  const current = d.transcripts.current.has(goal.id);
  await d.close();
  d = null;
  return { outcome, results, pids, lineTurns, resultCosts, leftRunning, current };
}

describe('long-lived Claude Code process', () => {
  it('runs several turns in one process with per-turn transcripts, tokens and cost matching the per-turn runner', async () => {
    const lived = await threeTurns('long-lived');
    expect(lived.outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 3 });
    // One process, recorded for each of its turns, gone once the goal ended.
    expect(lived.pids).toHaveLength(3);
    expect(new Set(lived.pids).size).toBe(1);
    expect(lived.leftRunning).toEqual([]);
    expect(lived.current).toBe(false);
    expect(lived.lineTurns).toEqual([0, 1, 2]);
    // One session across the turns.
    expect(new Set(lived.results.map((r) => r.sessionId)).size).toBe(1);

    const perTurn = await threeTurns('per-turn');
    expect(perTurn.outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 3 });
    expect(new Set(perTurn.pids).size).toBe(3);
    // Per turn: the same tokens and cost in both modes (the CLI's result cost is cumulative in one process).
    expect(lived.results.map((r) => r.turnTokens)).toEqual(perTurn.results.map((r) => r.turnTokens));
    lived.results.forEach((r, index) => {
      expect(r.turnCostUsd).toBeGreaterThan(0);
      expect(r.turnCostUsd).toBeCloseTo(perTurn.results[index]?.turnCostUsd ?? -1, 10);
    });
    // The goal's budget totals.
    expect(lived.outcome.usage.tokens).toBe(perTurn.outcome.usage.tokens);
    expect(lived.outcome.usage.costUsd).toBeCloseTo(perTurn.outcome.usage.costUsd, 10);
    // What the timeline shows for each result line is the turn's own cost too.
    lived.resultCosts.forEach(([turnIndex, cost], index) => {
      expect(turnIndex).toBe(perTurn.resultCosts[index]?.[0]);
      expect(cost).toBeCloseTo(Number(perTurn.resultCosts[index]?.[1]), 10);
    });
  });

  it('replaces a process that has run its turns (memory) by a new one resuming the session', async () => {
    d = await startRealDriver(() => ({ text: 'working' }), { claudeProcess: 'long-lived', longLivedRecycleTurns: 2 });
    const goal = d.goal({ acceptance: [neverMet], budget: { maxTurns: 3 } });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.totalTurns).toBe(3);
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).not.toBe(pids[1]);
    expect(new Set(d.events.of('attempt_completed').map((e) => e.result.sessionId)).size).toBe(1);
    expect(d.model.requests[2]?.allUserText).toContain('[Turn 2/3]');
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  });
});

describe.each(MODES)('%s Claude Code process', (mode) => {
  it('asks permission through the goal’s bridge on turn 2 and later', async () => {
    d = await startRealDriver(writingScript, { claudeProcess: mode });
    const goal = d.goal({ acceptance: [neverMet], budget: { maxTurns: 3 } });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.totalTurns).toBe(3);
    // Long-lived: the three turns in one process (its bridge stays connected); per turn: one each.
    expect(new Set(d.transcripts.processes.map((p) => p.pid)).size).toBe(mode === 'long-lived' ? 1 : 3);
    const decided = d.events.of('permission_decided');
    expect(decided.map((e) => e.toolName)).toEqual(['Write', 'Write', 'Write']);
    // Every turn's Write ran (allowed through the bridge), none was denied.
    const results = d.events.of('attempt_completed').map((e) => e.result);
    expect(results.map((r) => r.permissionDenials)).toEqual([0, 0, 0]);
    const toolErrors = d.model.requests.flatMap((r) => r.lastToolResults.filter((t) => t.isError));
    expect(toolErrors).toEqual([]);
  });

  it('a compaction runs as its own process; the next work turn resumes the session in a new one', async () => {
    d = await startRealDriver(
      (ctx) => {
        if (ctx.index === 0) return { text: 'small context', usage: { input_tokens: 2_000 } };
        if (ctx.index === 1) return { text: 'big context', usage: { input_tokens: 850_000 } };
        if (ctx.index === 2) return { text: 'SUMMARY: two turns of looking around', usage: { input_tokens: 850_000 } };
        return { text: 'after the compaction', usage: { input_tokens: 3_000 } };
      },
      {
        claudeProcess: mode,
        autoCompaction: { ...DEFAULT_AUTO_COMPACTION, tokenPct: 0.8, minTurnsBetween: 1 },
      },
    );
    const goal = d.goal({ acceptance: [neverMet], budget: { maxTurns: 3 } });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 3 });
    expect(d.events.of('attempt_started').map((e) => [e.turnIndex, e.compact])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [2, false],
    ]);
    // Long-lived: turns 0 and 1 share the live process; the compaction has its own; the work turn after
    // it a new one. Per turn: a process each.
    const pids = d.transcripts.processes.map((p) => p.pid);
    expect(pids).toHaveLength(4);
    if (mode === 'long-lived') expect(pids[0]).toBe(pids[1]);
    else expect(pids[0]).not.toBe(pids[1]);
    expect(new Set([pids[1], pids[2], pids[3]]).size).toBe(3);
    expect(d.model.requests[3]?.allUserText).toContain('SUMMARY: two turns of looking around');
    expect(d.events.of('compact_summary_stored')).toHaveLength(1);
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    expect(d.transcripts.current.has(goal.id)).toBe(false);
  });
});
