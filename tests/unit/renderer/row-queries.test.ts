// What timeline rows read from the host's answers, the goal's workspace path (from the goal's
// details) and the stored rules (for decision chips), comes from the cache: a row that mounts (every
// scroll frame mounts some) never asks the host again, even when the answer is stale; the first
// observer still loads it, and an invalidation (a live event) still refreshes it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient, QueryObserver } from '@tanstack/react-query';

const goalId = '00000000-0000-4000-8000-000000000001';
let fetches = 0;
let ruleFetches = 0;
let path = '/work/tree-1';

vi.mock('../../../src/renderer/lib/command', () => ({
  errorMessage: (error: unknown) => String(error),
  call: (channel: string) => {
    if (channel === 'rules.list') {
      ruleFetches += 1;
      return Promise.resolve({ rules: [] });
    }
    if (channel !== 'goal.get') throw new Error(`unexpected ${channel}`);
    fetches += 1;
    return Promise.resolve({ workspace: { path, kind: 'worktree', branch: null, baseCommit: null } });
  },
}));

const { goalWorkspacePathQuery, rulesForRowsQuery } = await import('../../../src/renderer/state/queries');

const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
const unsubscribes: (() => void)[] = [];

/** Mounts one observer the way a row's useQuery does; resolves with its first settled value. */
async function mountRow(): Promise<string | null | undefined> {
  const observer = new QueryObserver(client, goalWorkspacePathQuery(goalId));
  unsubscribes.push(observer.subscribe(() => undefined));
  await vi.waitFor(() => expect(observer.getCurrentResult().status).toBe('success'));
  return observer.getCurrentResult().data;
}

afterEach(() => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  client.clear();
  fetches = 0;
  ruleFetches = 0;
});

describe('the timeline rows’ workspace path', () => {
  it('is loaded once by the first row, and rows mounted later (details stale) do not refetch the goal', async () => {
    expect(await mountRow()).toBe('/work/tree-1');
    expect(fetches).toBe(1);
    for (let row = 0; row < 50; row++) expect(await mountRow()).toBe('/work/tree-1');
    expect(client.getQueryState(['goal', goalId])?.isInvalidated).toBe(false);
    expect(fetches).toBe(1);
  });

  it('follows the details when they are invalidated (a live event)', async () => {
    await mountRow();
    path = '/work/tree-2';
    await client.invalidateQueries({ queryKey: ['goal', goalId] });
    expect(fetches).toBe(2);
    const observer = new QueryObserver(client, goalWorkspacePathQuery(goalId));
    expect(observer.getCurrentResult().data).toBe('/work/tree-2');
  });

  it('rules for decision chips: loaded once, not again by rows mounted later, refreshed on invalidation', async () => {
    const mountChip = async () => {
      const observer = new QueryObserver(client, rulesForRowsQuery());
      unsubscribes.push(observer.subscribe(() => undefined));
      await vi.waitFor(() => expect(observer.getCurrentResult().status).toBe('success'));
    };
    for (let row = 0; row < 20; row++) await mountChip();
    expect(ruleFetches).toBe(1);
    await client.invalidateQueries({ queryKey: ['rules'] });
    expect(ruleFetches).toBe(2);
  });
});
