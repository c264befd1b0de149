// Resume after a restart: a second GoalDriver (as after a host restart) continues a goal with the
// usage and turn count from the store, the stored session binding (the session is resumed) and the
// existing worktree (ensure reopens it).
import { afterEach, describe, expect, it } from 'vitest';
import { GoalDriver } from '../../../src/main/driver/orchestrator.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { join } from 'node:path';
import { startRealDriver, type RealDriver } from './support/real-driver.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

describe('resume after restart', () => {
  it('continues the count, the session and the worktree', async () => {
    d = await startRealDriver((ctx) => {
      if (ctx.index === 0)
        return { toolUses: [{ name: 'Write', input: { file_path: 'part1.txt', content: 'one\n' } }] };
      if (ctx.index === 1) return { text: 'part one written' };
      if (ctx.index === 2)
        return { toolUses: [{ name: 'Write', input: { file_path: 'part2.txt', content: 'two\n' } }] };
      return { text: 'part two written' };
    });
    const acceptance = [
      {
        kind: 'shell_command' as const,
        command: 'test -f part1.txt && test -f part2.txt',
        expectedExit: 0,
        stdoutMustMatch: null,
        timeoutSecs: 30,
      },
    ];
    const first = d.goal({ acceptance, budget: { maxTurns: 1 } });
    const before = await d.driver.runGoal(first);
    expect(before).toMatchObject({ outcome: { kind: 'budget_exhausted', axis: 'turns' }, totalTurns: 1 });
    const sessionId = d.bindings.get(first.id)?.sessionId;
    expect(sessionId).toBeTruthy();
    await d.driver.shutdown();

    // "Restart": a new driver over the same stores, workspace manager and data directory.
    const restarted = new GoalDriver(
      {
        events: d.events,
        bindings: d.bindings,
        transcripts: d.transcripts,
        workspaces: d.workspaces,
        permissions: d.permissions,
      },
      {
        claudeBin,
        env: claudeEnv({ baseUrl: d.model.url, configDir: join(d.root, 'claude-config') }),
        goalFilesDir: join(d.root, 'goals'),
        killGraceMs: 3000,
      },
    );
    restarted.preRegister(first.id);
    const goal = { ...first, budget: { ...first.budget, maxTurns: 3 } };
    const after = await restarted.runGoal(goal, { resume: { usage: before.usage, totalTurns: before.totalTurns } });
    expect(after).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
    expect(after.usage.tokens).toBeGreaterThan(before.usage.tokens);
    const resumedRequest = d.model.requests[2];
    expect(resumedRequest?.lastUserText).toContain('[Turn 2/3]');
    expect(resumedRequest?.allUserText).toContain('[Turn 1/1]');
    expect(d.bindings.get(first.id)?.sessionId).toBe(sessionId);
    const checkpoints = d.events.of('checkpoint').filter((e) => e.phase === 'post');
    expect(checkpoints.map((e) => [e.turnIndex, e.diffStat?.files.map((f) => f.path)])).toEqual([
      [0, ['part1.txt']],
      [1, ['part2.txt']],
    ]);
    await restarted.shutdown();
  });
});
