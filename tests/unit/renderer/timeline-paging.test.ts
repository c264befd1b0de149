// Paging the timeline back: each older page is the one right before the oldest loaded event, and
// once the operator pages back the next page is asked for ahead and used when it is the one
// needed. The host is a fake `call` over a list of stored events.
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
  limit: number;
  clipTextsAt?: number;
}
const asked: PageRequest[] = [];

vi.mock('../../../src/renderer/lib/command', () => ({
  errorMessage: (error: unknown) => (error instanceof Error ? error.message : String(error)),
  call: (channel: string, request: PageRequest) => {
    if (channel !== 'goal.events') throw new Error(`unexpected ${channel}`);
    asked.push(request);
    if (request.afterSeq !== undefined) {
      const after = STORED.filter((logged) => logged.logSeq > (request.afterSeq ?? 0));
      return Promise.resolve({
        events: after.slice(0, request.limit),
        hasMore: after.length > request.limit,
        total: STORED.length,
      });
    }
    const before = STORED.filter((logged) => logged.logSeq < (request.beforeSeq ?? Number.MAX_SAFE_INTEGER));
    const events = before.slice(Math.max(0, before.length - request.limit));
    return Promise.resolve({ events, hasMore: before.length > request.limit, total: STORED.length });
  },
}));

const { closeTimeline, fetchFullEvent, loadOlder, openTimeline, receiveLiveEvent, useTimeline, FIRST_PAGE } =
  await import('../../../src/renderer/state/timeline');

const { PAGE_CLIP_CHARS } = await import('../../../src/renderer/state/timeline-row-types');

const otherGoalId = '00000000-0000-4000-8000-000000000002';

function liveEvent(logSeq: number): LoggedEvent {
  return { logSeq, at: AT, event: { kind: 'driver_warning', goalId, message: `live ${logSeq}` } };
}

async function ready(): Promise<void> {
  await vi.waitFor(() => expect(useTimeline.getState().status).toBe('ready'));
}

beforeEach(() => {
  closeTimeline();
  asked.length = 0;
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
    // Every page asked for once, each right before the one loaded before it (the prefetched ones too).
    const older = asked.slice(1);
    let oldest = STORED.length - FIRST_PAGE + 1;
    for (const request of older) {
      expect(request.beforeSeq).toBe(oldest);
      oldest = Math.max(1, oldest - request.limit);
    }
    expect(oldest).toBe(1);
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

  it('uses the page asked for ahead instead of asking again', async () => {
    openTimeline(goalId);
    await ready();
    await loadOlder();
    // The first page, one older page, and the next one asked for ahead.
    expect(asked).toHaveLength(3);
    const ahead = asked[2];
    const loaded = useTimeline.getState().loadedEvents;
    await loadOlder();
    // That page was used: only the one after it was asked for.
    expect(asked).toHaveLength(4);
    expect(useTimeline.getState().loadedEvents).toBe(loaded + (ahead?.limit ?? 0));
    expect(useTimeline.getState().rows[0]?.seq).toBe((ahead?.beforeSeq ?? 0) - (ahead?.limit ?? 0));
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
    // The next page is asked for ahead, and held by the cursor until used.
    expect(cursor.prefetched?.beforeSeq).toBe(rows[0]?.seq);
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
    expect(state.cursor.prefetched).toBeNull();
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
