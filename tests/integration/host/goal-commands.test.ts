// The host's goal commands end to end through the dispatcher: a goal created by command, a
// permission prompt answered by the operator, the turn's diff equal to plain git's, rollback,
// timeline paging and search — with the real Claude Code CLI against the fake model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { claudeCwd, fixtureRepo, waitFor } from './support.js';

let root: string;
let fake: FakeModel;
let host: Host;

async function call<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
  const result = await host.dispatcher.invoke(channel, payload, { transport: 'local' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as CommandResponse<C>;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-host-'));
  fake = await startFakeModel((ctx) => {
    const cwd = claudeCwd(ctx);
    if (ctx.index === 0) {
      return {
        text: 'Adding the greeting and removing the old notes.',
        toolUses: [
          {
            name: 'Bash',
            input: {
              command: 'printf "hello\\nworld\\n" > greeting.txt && rm notes.txt && echo changed >> README.md',
              description: 'edit files',
            },
          },
        ],
      };
    }
    if (ctx.index === 1)
      return {
        text: 'Writing the summary.',
        toolUses: [{ name: 'Write', input: { file_path: `${cwd}/summary.md`, content: 'zebra-quartz summary\n' } }],
      };
    return { text: 'All done.' };
  });
  host = await createHost({
    mode: 'browser',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { env: claudeEnv({ baseUrl: fake.url, configDir: join(root, 'claude-config') }) },
  });
});
afterAll(async () => {
  await host?.close();
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('goal commands', () => {
  it('runs a goal whose permission prompts the operator answers, with honest diffs and rollback', async () => {
    const repo = fixtureRepo(root, { 'README.md': '# fixture\n', 'notes.txt': 'old notes\n' });
    const { goalId } = await call('goal.create', {
      description: 'greet the world',
      repoPath: repo,
      acceptance: [
        {
          kind: 'shell_command',
          command: 'test -f summary.md',
          expectedExit: 0,
          stdoutMustMatch: null,
          timeoutSecs: 30,
        },
      ],
      budget: { maxTurns: 4 },
      permissionMode: 'ask',
    });

    // The Bash call waits for the operator.
    const pending = await waitFor(() => host.stores.permissions.listPending()[0], 'the first permission prompt');
    expect(pending.request.toolName).toBe('Bash');
    expect((await call('goals.list', {})).goals.find((g) => g.id === goalId)?.pendingPermissions).toBe(1);
    await call('permission.decide', { requestId: pending.request.id, action: { kind: 'allow' } });

    const second = await waitFor(() => host.stores.permissions.listPending()[0], 'the second permission prompt');
    expect(second.request.toolName).toBe('Write');
    const preview = await call('rule.preview', {
      requestId: second.request.id,
      rule: { scope: 'goal', pattern: null },
    });
    expect(preview.rule).toMatchObject({ tool: 'Write', decision: 'allow', scope: { kind: 'goal', goalId } });
    expect(preview.pendingCount).toBe(1);
    await call('permission.decide', {
      requestId: second.request.id,
      action: { kind: 'always_allow', rule: { scope: 'goal', pattern: null } },
    });

    const outcome = await host.runner.finished(goalId);
    expect(outcome?.outcome.kind).toBe('done');
    const detail = await call('goal.get', { goalId });
    expect(detail.summary.status).toBe('done');
    expect(detail.workspace?.kind).toBe('worktree');
    expect((await call('rules.list', {})).rules.map((r) => r.tool)).toEqual(['Write']);

    // Turn 1's stat equals plain git between the turn's own checkpoints.
    const turn = detail.turns.find((t) => t.turnIndex === 0 && t.postSha !== null)!;
    const numstat = execFileSync('git', ['diff', '--numstat', '-M', turn.preSha!, turn.postSha!], {
      cwd: repo,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .map(([added, removed, path]) => ({ path, added: Number(added), removed: Number(removed) }))
      .sort((a, b) => String(a.path).localeCompare(String(b.path)));
    const diff = await call('turn.diff', { goalId, turnIndex: 0 });
    expect(
      diff.stat.files
        .map((f) => ({ path: f.path, added: f.added, removed: f.removed }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual(numstat);
    expect(diff.files.find((f) => f.path === 'greeting.txt')?.patch).toContain('+hello');
    expect(diff.stat.files.find((f) => f.path === 'notes.txt')?.status).toBe('deleted');

    const cumulative = await call('goal.cumulativeDiff', { goalId });
    expect(cumulative.stat.files.map((f) => f.path).sort()).toEqual([
      'README.md',
      'greeting.txt',
      'notes.txt',
      'summary.md',
    ]);

    // Roll back to before turn 1: the worktree is exactly the starting tree again; the user's repo never changed.
    const worktree = detail.workspace!.path;
    await call('goal.rollback', { goalId, turnIndex: 0, phase: 'pre' });
    expect(existsSync(join(worktree, 'greeting.txt'))).toBe(false);
    expect(readFileSync(join(worktree, 'notes.txt'), 'utf8')).toBe('old notes\n');
    expect(readFileSync(join(worktree, 'README.md'), 'utf8')).toBe('# fixture\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('');

    // The timeline pages backwards and forwards over the same events.
    const newest = await call('goal.events', { goalId, limit: 5 });
    expect(newest.events.at(-1)?.event.kind).toBe('rollback');
    expect(newest.hasMore).toBe(true);
    const older = await call('goal.events', { goalId, beforeSeq: newest.events[0]!.logSeq, limit: 1000 });
    expect(older.events.length + newest.events.length).toBe(newest.total);
    expect(older.events[0]?.event.kind).toBe('goal_started');

    const hits = await call('search', { query: 'zebra' });
    expect(hits.hits.some((hit) => hit.goalId === goalId && hit.kind === 'transcript')).toBe(true);
  });

  it('refuses controls for a goal that is not running, and unknown goals', async () => {
    const goals = (await call('goals.list', {})).goals;
    const done = goals[0]!;
    const paused = await host.dispatcher.invoke('goal.pause', { goalId: done.id }, { transport: 'local' });
    expect(paused).toMatchObject({ ok: false, error: { code: 'failed_precondition' } });
    const unknown = await host.dispatcher.invoke(
      'goal.get',
      { goalId: '00000000-0000-4000-8000-000000000000' },
      { transport: 'local' },
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const badRepo = await host.dispatcher.invoke(
      'goal.create',
      { description: 'x', repoPath: join(root, 'nope') },
      { transport: 'local' },
    );
    expect(badRepo).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: 'repoPath' }] } });
  });
});
