// goal.events through the real host: the largest page the contract allows still says whether older
// events remain, and paging back with it reaches the goal's first event exactly once each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import type { CommandResponse } from '../../../src/shared/contract.js';
import { seedTimeline } from '../../helpers/seed-timeline.js';

const LARGEST = 10_000;
const COUNT = 2 * LARGEST + 500;
let dir: string;
let host: Host | undefined;
let goalId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overseer-goal-events-'));
  goalId = seedTimeline(dir, COUNT).goalId;
  host = await createHost({ mode: 'browser', dataDir: dir, heartbeatMs: 0 });
}, 120_000);

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function page(request: { beforeSeq?: number; limit: number }): Promise<CommandResponse<'goal.events'>> {
  if (host === undefined) throw new Error('no host');
  const result = await host.dispatcher.invoke('goal.events', { goalId, ...request }, { transport: 'local' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as CommandResponse<'goal.events'>;
}

describe('goal.events pages', () => {
  it(`pages a ${COUNT}-event goal back in pages of the largest size, each telling whether more remain`, async () => {
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    const hasMore: boolean[] = [];
    for (;;) {
      const answer = await page({ ...(beforeSeq !== undefined ? { beforeSeq } : {}), limit: LARGEST });
      expect(answer.total).toBe(COUNT);
      seen.unshift(...answer.events.map((logged) => logged.logSeq));
      hasMore.push(answer.hasMore);
      if (!answer.hasMore) break;
      beforeSeq = answer.events[0]?.logSeq;
    }
    expect(hasMore).toEqual([true, true, false]);
    expect(seen).toHaveLength(COUNT);
    expect(new Set(seen).size).toBe(COUNT);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('refuses a page larger than the largest', async () => {
    if (host === undefined) throw new Error('no host');
    const result = await host.dispatcher.invoke('goal.events', { goalId, limit: LARGEST + 1 }, { transport: 'local' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});
