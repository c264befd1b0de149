// Two restarts of one goal at once (two windows, or the CLI and the console) through the host's
// commands, with the real Claude Code CLI: exactly one driver starts, the other restart is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../../src/main/host/host.js';
import type { CommandResponse } from '../../../src/shared/contract.js';
import type { FakeModel } from '../../fake-model/server.js';
import { fixtureRepo, hostWithFakeModel, type HostWithModel } from './support.js';

let root: string;
let fake: FakeModel;
let host: Host;
let setup: HostWithModel | undefined;

beforeAll(async () => {
  setup = await hostWithFakeModel('overseer-restart-', () => ({ text: 'All done.' }));
  ({ root, fake, host } = setup);
});
afterAll(async () => {
  await setup?.close();
});

describe('goal.restart', () => {
  it('two restarts of one goal at once start one driver; the other is refused as a conflict', async () => {
    const repo = fixtureRepo(root);
    const created = await host.dispatcher.invoke(
      'goal.create',
      {
        description: 'say done',
        repoPath: repo,
        acceptance: [],
        budget: { maxTurns: 3 },
        permissionMode: 'allow-all',
        start: false,
      },
      { transport: 'local' },
    );
    if (!created.ok) throw new Error(created.error.message);
    const { goalId } = created.value as CommandResponse<'goal.create'>;
    const [a, b] = await Promise.all([
      host.dispatcher.invoke('goal.restart', { goalId }, { transport: 'local' }),
      host.dispatcher.invoke('goal.restart', { goalId }, { transport: 'local' }),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toEqual(['conflict']);
    const outcome = await host.runner.finished(goalId);
    expect(outcome?.outcome).toEqual({ kind: 'done' });
    const started = host.stores.events
      .eventsForGoal(goalId, { limit: 1000 })
      .filter((e) => e.event.kind === 'goal_started');
    expect(started).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });
});
