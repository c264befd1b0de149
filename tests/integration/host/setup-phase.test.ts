// The worktree setup phase through the host's commands (no Claude turn is reached): repository
// settings stored and read back with the lockfile hint; a failing setup command ends the goal as
// setup_failed with the command, exit code and output tail and no turn; "Retry setup" after a fix
// passes setup; Cancel during setup stops the command's process group.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandChannel, CommandRequest, CommandResponse } from '../../../src/shared/contract.js';
import type { DriverEvent } from '../../../src/shared/events.js';
import { claudeBin } from '../../fake-model/claude-env.js';
import { fixtureRepo, waitFor } from './support.js';

let root: string;
let host: Host;

async function call<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
  const result = await host.dispatcher.invoke(channel, payload, { transport: 'local' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as CommandResponse<C>;
}

function events(goalId: string): DriverEvent[] {
  host.stores.events.flush();
  return host.stores.events.eventsForGoal(goalId, { afterSeq: 0, limit: 10_000 }).map((stored) => stored.event);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-setup-host-'));
  // Claude is never reached here (setup fails or is cancelled first, or the goal is stopped).
  host = await createHost({
    mode: 'browser',
    dataDir: join(root, 'data'),
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { env: { ...process.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } },
  });
});
afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('worktree setup', () => {
  it('stores repository settings and says when a lockfile has no setup', async () => {
    const repo = fixtureRepo(root, { 'README.md': '# x\n', 'package-lock.json': '{}\n' });
    const before = await call('repo.settings.get', { repoPath: repo });
    expect(before).toMatchObject({ stored: false, setup: { commands: [], copy: [], shared: [] } });
    expect(before.lockfileHint?.message).toBe('package-lock.json found: add `npm ci` as a setup command?');
    await call('repo.settings.update', { repoPath: repo, setup: { commands: ['npm ci'], copy: ['.env'], shared: [] } });
    const after = await call('repo.settings.get', { repoPath: repo });
    expect(after).toMatchObject({ stored: true, setup: { commands: ['npm ci'], copy: ['.env'] } });
    expect((await call('repo.settings.list', {})).repositories.map((r) => r.repoPath)).toContain(after.repoPath);
  });

  it('a failing command ends the goal as setup_failed before any turn; Retry setup after a fix passes it', async () => {
    const repo = fixtureRepo(root);
    const marker = join(root, 'marker');
    const { goalId } = await call('goal.create', {
      description: 'needs setup',
      repoPath: repo,
      setup: {
        commands: ['echo copying', `test -f ${marker} || { echo "marker is missing" >&2; exit 7; }`],
        copy: [],
        shared: [],
      },
    });
    await waitFor(() => host.stores.goals.get(goalId)?.status === 'setup_failed', 'setup_failed', 120_000);
    const finished = events(goalId).find((event) => event.kind === 'setup_finished');
    expect(finished).toMatchObject({
      ok: false,
      exitCode: 7,
      command: `test -f ${marker} || { echo "marker is missing" >&2; exit 7; }`,
    });
    expect(finished?.kind === 'setup_finished' ? finished.outputTail : '').toContain('marker is missing');
    expect(events(goalId).map((event) => event.kind)).not.toContain('attempt_started');
    expect(host.stores.turns.turnsForGoal(goalId)).toEqual([]);

    writeFileSync(marker, 'fixed\n');
    await call('goal.restart', { goalId });
    await waitFor(
      () => events(goalId).some((event) => event.kind === 'setup_finished' && event.ok),
      'setup to pass',
      120_000,
    );
    if (host.runner.isRunning(goalId)) await call('goal.cancel', { goalId }).catch(() => undefined);
    await host.runner.finished(goalId);
  });

  it('Cancel during setup stops the command and ends the goal cancelled', async () => {
    const repo = fixtureRepo(root);
    const { goalId } = await call('goal.create', {
      description: 'slow setup',
      repoPath: repo,
      setup: { commands: ['sleep 600'], copy: [], shared: [] },
    });
    await waitFor(
      () => events(goalId).some((event) => event.kind === 'setup_output' && event.text.includes('sleep 600')),
      'the command to start',
      120_000,
    );
    await call('goal.cancel', { goalId });
    const outcome = await host.runner.finished(goalId);
    expect(outcome?.outcome.kind).toBe('cancelled');
    expect(events(goalId).find((event) => event.kind === 'setup_finished')).toMatchObject({
      ok: false,
      cancelled: true,
    });
    expect(host.stores.goals.get(goalId)?.status).toBe('cancelled');
  });
});
