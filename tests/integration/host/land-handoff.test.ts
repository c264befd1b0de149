// Handing a rebase conflict to Claude after the goal has ended (real Claude Code CLI against the
// fake model, real git): the goal is done, main moves in a way that conflicts, the rebase lists the
// file with its kind and is undone, and land.handToClaude runs the same goal again: its next turn
// carries the conflict note, in the same worktree and the same Claude session, within the turns the
// extension allows. Claude rebases in the worktree; Overseer's rebase then finds the branch on top
// of main, and the merge lands both sides' work.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { FakeRequestContext } from '../../fake-model/server.js';
import { claudeCwd, fixtureRepo, hostWithFakeModel, type HostWithModel } from './support.js';

const GOAL = 'Add the feature file and a goal readme';
const RESOLVE = [
  'git add -A && git commit -qm "Work in progress"',
  '(git rebase main > /dev/null 2>&1 || (printf "# merged readme\\n" > README.md && git add README.md && GIT_EDITOR=true git rebase --continue))',
].join(' && ');

/** What each of Claude's turns saw: its working directory and whether turn 1's prompt was in its history. */
const seen: { cwd: string; handed: boolean; historyHasTurnOne: boolean }[] = [];

function script(ctx: FakeRequestContext) {
  const handed = ctx.allUserText.includes('Rebasing this work onto the latest main');
  if (ctx.lastToolResults.length > 0)
    return { text: handed ? 'Rebased onto main, keeping both readmes.' : 'Wrote the files.' };
  seen.push({ cwd: claudeCwd(ctx), handed, historyHasTurnOne: ctx.allUserText.includes('[Turn 1/1]') });
  if (!handed) {
    return {
      text: 'Writing the files.',
      toolUses: [
        {
          name: 'Bash',
          input: {
            command: `printf 'landed feature\\n' > feature.txt && printf '# goal readme\\n' > README.md`,
            description: 'write files',
          },
        },
      ],
    };
  }
  return {
    text: 'Bringing main in.',
    toolUses: [{ name: 'Bash', input: { command: RESOLVE, description: 'rebase onto main' } }],
  };
}

let env: HostWithModel;
beforeAll(async () => {
  env = await hostWithFakeModel('overseer-handoff-', script);
});
afterAll(async () => {
  await env?.close();
});

async function call<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
  const result = await env.host.dispatcher.invoke(channel, payload, { transport: 'local' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as CommandResponse<C>;
}

it('hands the conflict of a done goal to Claude: same worktree and session, the note in the next turn, the extension as its limit', async () => {
  const { host } = env;
  const repo = fixtureRepo(env.root);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  const { goalId } = await call('goal.create', {
    description: GOAL,
    repoPath: repo,
    acceptance: [
      {
        kind: 'shell_command',
        command: 'test -f feature.txt',
        expectedExit: 0,
        stdoutMustMatch: null,
        timeoutSecs: 30,
      },
    ],
    budget: { maxTurns: 1 },
    permissionMode: 'allow-all',
  });
  expect((await host.runner.finished(goalId))?.outcome.kind).toBe('done');
  const session = host.stores.sessionBindings.get(goalId)?.sessionId;
  expect(session).toBeTruthy();

  // main moves: its readme conflicts with the goal's.
  execFileSync('sh', ['-c', `printf '# main readme\\n' > README.md && git commit -qam 'main readme'`], { cwd: repo });
  const rebase = await call('land.rebase', { goalId });
  expect(rebase).toMatchObject({ ok: false, onto: 'main', conflicts: [{ path: 'README.md', kind: 'both_modified' }] });
  expect(rebase.conflictNote).toContain('- README.md: changed by the goal and on main (both modified)');

  const handed = await call('land.handToClaude', { goalId, note: rebase.conflictNote ?? '', extend: { turns: 2 } });
  expect(handed).toMatchObject({ continued: true, maxTurns: 3 });
  const outcome = await host.runner.finished(goalId);
  expect(outcome?.outcome.kind).toBe('done');
  expect(outcome?.totalTurns).toBe(2);

  // Turn 2 ran in the same worktree, resumed the same session, and its prompt carried the note.
  const worktree = join(env.root, 'data', 'worktrees', goalId);
  expect(seen.map((turn) => turn.handed)).toEqual([false, true]);
  expect(seen.map((turn) => turn.cwd)).toEqual([worktree, worktree]);
  expect(seen[1]?.historyHasTurnOne).toBe(true);
  expect(host.stores.sessionBindings.get(goalId)?.sessionId).toBe(session);
  const turnTwo = host.stores.turns.turnsForGoal(goalId).find((turn) => turn.turnIndex === 1);
  expect(turnTwo?.prompt).toContain('[OPERATOR INTERRUPT]');
  expect(turnTwo?.prompt).toContain('README.md: changed by the goal and on main (both modified)');
  expect(turnTwo?.prompt).toContain('[Turn 2/3]');
  const record = host.stores.goals.get(goalId);
  expect(record?.goal.budget.maxTurns).toBe(3);
  expect(record?.status).toBe('done');

  // Claude brought main in: Overseer's rebase finds the branch on top of it, and the merge lands both.
  const again = await call('land.rebase', { goalId });
  expect(again).toMatchObject({ ok: true, conflicts: [] });
  const merged = await call('land.merge', { goalId, message: GOAL, squash: true });
  expect(merged.into).toBe('main');
  expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# merged readme\n');
  expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('landed feature\n');
  expect(git('log', '-1', '--format=%s', 'main').trim()).toBe(GOAL);
  expect(git('status', '--porcelain')).toBe('');
}, 400_000);
