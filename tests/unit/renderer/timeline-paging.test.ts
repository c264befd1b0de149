// Paging the timeline back: each older page is the one right before the oldest loaded event, and
// once the operator pages back the next pages are asked for ahead (at once, each from the same
// anchor further back) and used when they are the ones needed. The host is a fake `call` over a
// list of stored events that answers as goal.events does (beforeSeq, skip, limit).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../../src/shared/domain/views';

const goalId = '00000000-0000-4000-8000-000000000001';
const AT = '2026-11-30T07:00:00.000Z';
const STORED: LoggedEvent[] = Array.from({ length: 20_000 }, (_, index) => ({
  logSeq: index + 1,
  at: AT,
  event: { kind: 'driver_warning', goalId, message: `warning ${index + 1}` },
}));

interface PageRequest {
  goalId: string;
  beforeSeq?: number;
  afterSeq?: number;
  skip?: number;
  limit: number;
  clipTextsAt?: number;
}
const asked: PageRequest[] = [];
/** The number (in `asked`) of a request that fails, as a host that lost the connection would answer. */
let failRequest: number | null = null;

/** The stored events a backwards page request denotes. */
function denoted(request: PageRequest): LoggedEvent[] {
  const before = STORED.filter((logged) => logged.logSeq < (request.beforeSeq ?? Number.MAX_SAFE_INTEGER));
  const end = Math.max(0, before.length - (request.skip ?? 0));
  return before.slice(Math.max(0, end - request.limit), end);
}

vi.mock('../../../src/renderer/lib/command', () => ({
  errorMessage: (error: unknown) => (error instanceof Error ? error.message : String(error)),
  call: (channel: string, request: PageRequest) => {
    if (channel !== 'goal.events') throw new Error(`unexpected ${channel}`);
    asked.push(request);
    if (asked.length - 1 === failRequest)
      return Promise.reject(new Error('connection to the host was lost before it answered; try again'));
    if (request.afterSeq !== undefined) {
      const after = STORED.filter((logged) => logged.logSeq > (request.afterSeq ?? 0));
      return Promise.resolve({
        events: after.slice(0, request.limit),
        hasMore: after.length > request.limit,
        total: STORED.length,
      });
    }
    const events = denoted(request);
    const first = events[0]?.logSeq ?? 1;
    return Promise.resolve({ events, hasMore: first > 1, total: STORED.length });
  },
}));

const {
  closeTimeline,
  fetchFullEvent,
  loadOlder,
  openTimeline,
  receiveLiveEvent,
  useTimeline,
  FIRST_PAGE,
  OLDER_PAGE,
  PAGES_AHEAD,
} = await import('../../../src/renderer/state/timeline');

const { PAGE_CLIP_CHARS } = await import('../../../src/renderer/state/timeline-row-types');

const otherGoalId = '00000000-0000-4000-8000-000000000002';

function liveEvent(logSeq: number): LoggedEvent {
  return { logSeq, at: AT, event: { kind: 'driver_warning', goalId, message: `live ${logSeq}` } };
}

async function ready(): Promise<void> {
  await vi.waitFor(() => expect(useTimeline.getState().status).toBe('ready'));
}

/** Lets every answer asked for so far arrive. */
async function answered(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

beforeEach(() => {
  closeTimeline();
  asked.length = 0;
  failRequest = null;
});

describe('timeline paging', () => {
  it('opens at the newest page only, then pages back in order to the first event', async () => {
    openTimeline(goalId);
    await ready();
    expect(asked).toEqual([{ goalId, limit: FIRST_PAGE, clipTextsAt: PAGE_CLIP_CHARS }]);
    expect(useTimeline.getState().loadedEvents).toBe(FIRST_PAGE);

    while (useTimeline.getState().hasOlder) await loadOlder();
    const state = useTimeline.getState();
    expect(state.loadedEvents).toBe(STORED.length);
    expect(state.rows.map((row) => row.seq)).toEqual(STORED.map((logged) => logged.logSeq));
    // Every page asked for once: together the older pages hold every event before the first page, none twice.
    const older = asked.slice(1).flatMap((request) => denoted(request).map((logged) => logged.logSeq));
    expect(older.sort((a, b) => a - b)).toEqual(STORED.slice(0, STORED.length - FIRST_PAGE).map((l) => l.logSeq));
  });

  it('asks for every page with its long texts cut to just past the preview, and for a full event without', async () => {
    openTimeline(goalId);
    await ready();
    while (useTimeline.getState().hasOlder) await loadOlder();
    expect(asked.length).toBeGreaterThan(2);
    for (const request of asked) expect(request.clipTextsAt).toBe(PAGE_CLIP_CHARS);
    asked.length = 0;
    const full = await fetchFullEvent(goalId, 5);
    expect(full.logSeq).toBe(5);
    expect(asked).toEqual([{ goalId, afterSeq: 4, limit: 1 }]);
  });

  it('asks for the next pages ahead at once, before the first older page arrives, and uses them', async () => {
    openTimeline(goalId);
    await ready();
    const loading = loadOlder();
    // Asked for together: the older page and PAGES_AHEAD after it, each further back from one anchor.
    expect(asked).toHaveLength(2 + PAGES_AHEAD);
    const anchor = STORED.length - FIRST_PAGE + 1;
    expect(asked.slice(1).map((request) => request.beforeSeq)).toEqual(Array(1 + PAGES_AHEAD).fill(anchor));
    expect(asked.slice(1).map((request) => request.skip ?? 0)).toEqual([0, OLDER_PAGE, OLDER_PAGE * 3]);
    await loading;
    await answered();
    const { ahead } = useTimeline.getState().cursor;
    expect(ahead).toHaveLength(PAGES_AHEAD);
    expect(ahead[0]?.arrived?.events.at(-1)?.logSeq).toBe((useTimeline.getState().rows[0]?.seq ?? 0) - 1);
    const next = ahead[0]?.limit ?? 0;
    const loaded = useTimeline.getState().loadedEvents;
    await loadOlder();
    await answered();
    // That page was used: only one more was asked for, to keep PAGES_AHEAD ahead, anchored at the
    // oldest event of the last page held (it had come).
    expect(asked).toHaveLength(3 + PAGES_AHEAD);
    const last = asked.at(-1);
    expect(last?.skip).toBeUndefined();
    expect(last?.beforeSeq).toBe(denoted(asked.at(-2) ?? { goalId, limit: 1 })[0]?.logSeq);
    expect(useTimeline.getState().loadedEvents).toBe(loaded + next);
    const seqs = useTimeline.getState().rows.map((row) => row.seq);
    expect(seqs).toEqual(STORED.slice(STORED.length - seqs.length).map((logged) => logged.logSeq));
  });

  it('reports a page ahead that failed when it is needed, and asks for it again on the next try', async () => {
    openTimeline(goalId);
    await ready();
    // The first page ahead (the second older page asked for) fails.
    failRequest = 2;
    await loadOlder();
    await answered();
    const loaded = useTimeline.getState().loadedEvents;
    const oldest = useTimeline.getState().rows[0]?.seq ?? 0;
    await loadOlder();
    expect(useTimeline.getState().error).toMatch(/connection to the host was lost/);
    expect(useTimeline.getState().loadedEvents).toBe(loaded);
    // The pages that were to follow it are dropped with it.
    expect(useTimeline.getState().cursor.ahead).toEqual([]);
    const before = asked.length;
    await loadOlder();
    expect(useTimeline.getState().error).toBeNull();
    expect(asked[before]).toMatchObject({ beforeSeq: oldest });
    expect(asked[before]?.skip).toBeUndefined();
    // The rows are still every event from the oldest loaded to the newest, in order, none twice.
    const seqs = useTimeline.getState().rows.map((row) => row.seq);
    expect(seqs[0]).toBeLessThan(oldest);
    expect(seqs).toEqual(STORED.slice(STORED.length - seqs.length).map((logged) => logged.logSeq));
  });
});

describe('timeline cursor and closing', () => {
  it('keeps the paging cursor in the store, at the oldest and newest loaded events', async () => {
    openTimeline(goalId);
    await ready();
    await loadOlder();
    const { rows, cursor } = useTimeline.getState();
    expect(cursor.oldestSeq).toBe(rows[0]?.seq);
    expect(cursor.newestSeq).toBe(STORED.length);
    // The next pages are asked for ahead, and held by the cursor until used.
    expect(cursor.ahead).toHaveLength(PAGES_AHEAD);
    await answered();
    expect(cursor.ahead[0]?.arrived?.events.at(-1)?.logSeq).toBe((rows[0]?.seq ?? 0) - 1);
  });

  it('releases the rows, the cursor and the page asked for ahead when the goal view closes', async () => {
    openTimeline(goalId);
    await ready();
    await loadOlder();
    const before = useTimeline.getState().cursor;
    closeTimeline(goalId);
    const state = useTimeline.getState();
    expect(state.goalId).toBeNull();
    expect(state.status).toBe('idle');
    expect(state.rows).toEqual([]);
    expect(state.loadedEvents).toBe(0);
    expect(state.cursor).not.toBe(before);
    expect(state.cursor.ahead).toEqual([]);
    expect(state.cursor.pairs.size).toBe(0);
    expect(state.cursor.oldestSeq).toBe(Number.POSITIVE_INFINITY);
    // Live events of the closed goal are not held.
    receiveLiveEvent(liveEvent(STORED.length + 1));
    expect(useTimeline.getState().cursor.pendingLive).toEqual([]);
  });

  it('drops a page that arrives after the view closed', async () => {
    openTimeline(goalId);
    closeTimeline(goalId);
    // The first page was asked for; its answer must not bring the closed goal back.
    expect(asked).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const state = useTimeline.getState();
    expect(state.goalId).toBeNull();
    expect(state.rows).toEqual([]);
    expect(state.status).toBe('idle');
  });

  it('drops an older page that arrives after the view closed', async () => {
    openTimeline(goalId);
    await ready();
    const loading = loadOlder();
    closeTimeline(goalId);
    await loading;
    expect(useTimeline.getState().rows).toEqual([]);
    expect(useTimeline.getState().loadingOlder).toBe(false);
  });

  it("a closing view leaves the next goal's timeline open", async () => {
    openTimeline(goalId);
    await ready();
    openTimeline(otherGoalId);
    // The first goal's view unmounts after the next one opened.
    closeTimeline(goalId);
    expect(useTimeline.getState().goalId).toBe(otherGoalId);
    expect(useTimeline.getState().status).not.toBe('idle');
  });

  it('reopening a closed goal reads its newest page again', async () => {
    openTimeline(goalId);
    await ready();
    closeTimeline(goalId);
    asked.length = 0;
    openTimeline(goalId);
    await ready();
    expect(asked).toEqual([{ goalId, limit: FIRST_PAGE, clipTextsAt: PAGE_CLIP_CHARS }]);
    expect(useTimeline.getState().loadedEvents).toBe(FIRST_PAGE);
  });

  it('appends live events of the open goal after the first page', async () => {
    openTimeline(goalId);
    await ready();
    receiveLiveEvent(liveEvent(STORED.length + 1));
    receiveLiveEvent({ ...liveEvent(STORED.length + 2), event: { ...liveEvent(0).event, goalId: otherGoalId } });
    await vi.waitFor(() => expect(useTimeline.getState().cursor.newestSeq).toBe(STORED.length + 1));
    expect(useTimeline.getState().rows.at(-1)?.seq).toBe(STORED.length + 1);
    expect(useTimeline.getState().cursor.pendingLive).toEqual([]);
  });
});
