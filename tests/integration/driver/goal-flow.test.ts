// The driver end to end with the real Claude Code CLI and the fake model: a multi-turn goal using
// Write, Read, Edit and Bash; acceptance failing then passing with the failure fed back; an
// interrupt note, a pause and a raised turn limit, each seen in what the model receives next.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeReply } from '../../fake-model/server.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

const shell = (command: string): AcceptanceCriterion => ({
  kind: 'shell_command',
  command,
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
});

describe('GoalDriver with the real CLI', () => {
  it('multi-turn goal with Write, Edit and Bash: acceptance fails, its failure reaches the model, then done', async () => {
    const steps: FakeReply[] = [
      { toolUses: [{ name: 'Write', input: { file_path: 'app.txt', content: 'version 1\n' } }] },
      { text: 'Wrote version 1.' },
      { toolUses: [{ name: 'Read', input: { file_path: 'app.txt' } }] },
      {
        toolUses: [{ name: 'Edit', input: { file_path: 'app.txt', old_string: 'version 1', new_string: 'version 2' } }],
      },
      {
        toolUses: [{ name: 'Bash', input: { command: 'cat app.txt && echo bash-ran', description: 'show the file' } }],
      },
      { text: 'Now it is version 2.' },
    ];
    d = await startRealDriver((ctx) => steps[ctx.index] ?? { text: 'done' });
    const goal = d.goal({
      description: 'Make app.txt say version 2.',
      acceptance: [shell('cat app.txt; grep -q "version 2" app.txt')],
    });
    const outcome = await d.driver.runGoal(goal);

    expect(outcome).toMatchObject({
      outcome: { kind: 'done' },
      error: null,
      totalTurns: 2,
      finalText: 'Now it is version 2.',
    });
    expect(outcome.acceptance?.met).toBe(true);
    expect(outcome.usage.tokens).toBeGreaterThan(0);
    expect(outcome.usage.costUsd).toBeGreaterThan(0);

    // The second turn's request carries the acceptance failure with its evidence, and resumes the session.
    const secondTurn = d.model.requests[2];
    expect(secondTurn?.lastUserText).toContain(
      'Previous attempt failed:\n  1. shell:cat app.txt; grep -q "version 2" app.txt: exit 1 != 0\n     | version 1',
    );
    expect(secondTurn?.lastUserText).toContain('[Turn 2/40]');
    expect(secondTurn?.allUserText).toContain('[Turn 1/40]');
    const edit = d.model.requests[4]?.lastToolResults[0];
    expect(edit?.isError).toBe(false);
    expect(d.model.requests[5]?.lastToolResults[0]?.content).toBe('version 2\nbash-ran');

    // The work happened in the goal's worktree, and each turn's diff was recorded.
    const started = d.events.of('turn_output').find((e) => e.entry.type === 'system' && e.entry.subtype === 'init');
    const cwd = started?.entry.type === 'system' ? /cwd ([^;]+)/.exec(started.entry.detail)?.[1] : undefined;
    expect(cwd).toBeDefined();
    expect(readFileSync(join(cwd ?? '', 'app.txt'), 'utf8')).toBe('version 2\n');
    expect(existsSync(join(d.repo, 'app.txt'))).toBe(false);
    const posts = d.events.of('checkpoint').filter((e) => e.phase === 'post');
    expect(posts.map((e) => e.diffStat?.files.map((f) => [f.path, f.status]))).toEqual([
      [['app.txt', 'added']],
      [['app.txt', 'modified']],
    ]);

    // Transcript lines, turn_output entries, session binding, permission decisions.
    const turns = new Set(d.transcripts.lines.map((line) => line.turnIndex));
    expect([...turns]).toEqual([0, 1]);
    expect(d.transcripts.processes).toHaveLength(2);
    const toolNames = d.events.of('turn_output').flatMap((e) => (e.entry.type === 'tool_use' ? [e.entry.name] : []));
    expect(toolNames).toEqual(['Write', 'Read', 'Edit', 'Bash']);
    const completed = d.events.of('attempt_completed').map((e) => e.result);
    expect(completed[0]?.sessionId).toBeTruthy();
    expect(completed[1]?.sessionId).toBe(completed[0]?.sessionId);
    expect(d.bindings.get(goal.id)?.sessionId).toBe(completed[0]?.sessionId);
    expect(d.events.of('permission_decided').map((e) => e.toolName)).toEqual(expect.arrayContaining(['Write', 'Edit']));
    expect(d.events.kinds().at(-1)).toBe('goal_completed');
  });

  it('an interrupt note queued during a turn leads the next request', async () => {
    let driverRef: RealDriver | null = null;
    let goalId = '';
    d = await startRealDriver((ctx) => {
      if (ctx.index === 0) {
        driverRef?.driver.interrupt(goalId, 'Please use tabs, not spaces.');
        return { text: 'first turn' };
      }
      return { text: 'second turn' };
    });
    driverRef = d;
    const goal = d.goal({ acceptance: [shell('test -f never-there.txt')], budget: { maxTurns: 2 } });
    goalId = goal.id;
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.outcome).toEqual({ kind: 'budget_exhausted', axis: 'turns' });
    expect(d.model.requests[1]?.lastUserText).toContain(
      '[OPERATOR INTERRUPT]\nPlease use tabs, not spaces.\n[END OPERATOR INTERRUPT]\n\nMake the tests pass.',
    );
    expect(d.model.requests[0]?.lastUserText).not.toContain('OPERATOR INTERRUPT');
    expect(d.events.of('interrupt_queued')).toHaveLength(1);
  });

  it('pause holds between turns until resume; a raised turn limit lets the goal go on', async () => {
    let driverRef: RealDriver | null = null;
    let goalId = '';
    d = await startRealDriver((ctx) => {
      if (ctx.index === 0) {
        driverRef?.driver.pause(goalId);
        driverRef?.driver.raiseTurnLimit(goalId, 2);
        return { text: 'first turn' };
      }
      if (ctx.index === 1) return { toolUses: [{ name: 'Write', input: { file_path: 'done.txt', content: 'ok\n' } }] };
      return { text: 'wrote done.txt' };
    });
    driverRef = d;
    const goal = d.goal({ acceptance: [shell('test -f done.txt')], budget: { maxTurns: 1 } });
    goalId = goal.id;
    const running = d.driver.runGoal(goal);
    await d.events.waitFor('attempt_completed');
    // Paused: the first turn finished and no second turn starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(d.events.of('attempt_started')).toHaveLength(1);
    expect(d.model.requests).toHaveLength(1);
    expect(d.driver.isPaused(goalId)).toBe(true);
    d.driver.resume(goalId);
    const outcome = await running;
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 2 });
    expect(d.model.requests[1]?.lastUserText).toContain('[Turn 2/2]');
    expect(d.events.of('turn_limit_raised')).toEqual([{ kind: 'turn_limit_raised', goalId, maxTurns: 2 }]);
    const kinds = d.events.kinds();
    expect(kinds.indexOf('goal_paused')).toBeLessThan(kinds.indexOf('goal_resumed'));
    expect(kinds.indexOf('goal_resumed')).toBeLessThan(kinds.lastIndexOf('attempt_started'));
  });
});
