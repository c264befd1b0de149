// The open goal's timeline (zustand): compact rows, paged backwards from the newest events via
// goal.events, with live events appended as they arrive (batched on a short timer). One goal at a
// time; opening another, or closing the goal's view, drops the previous rows and paging cursor.
import { create } from 'zustand';
import type { LoggedEvent } from '../../shared/domain/views';
import type { CommandResponse } from '../../shared/contract';
import { call, errorMessage } from '../lib/command';
import { appendEvents, type TimelineRow } from './timeline-rows';
import { PAGE_CLIP_CHARS } from './timeline-row-types';

/** The newest page, asked for when the timeline opens: a screenful of rows and some to scroll, small enough to come fast. */
export const FIRST_PAGE = 200;
/** The first older page; each next one doubles, up to MAX_OLDER_PAGE (paging a 100k history in takes 13 calls, not 100). */
export const OLDER_PAGE = 1000;
export const MAX_OLDER_PAGE = 10_000; // goal.events allows at most 10,000 per call (the store reads at most that)
/** Older pages asked for ahead of the one being laid out (see TimelineCursor.ahead). */
export const PAGES_AHEAD = 2;

type GoalEventsPage = CommandResponse<'goal.events'>;

/**
 * An older page asked for: the `limit` events before `anchor` after leaving out the newest `skip` of
 * them. Pages asked for from one anchor with growing skips follow on from each other (a goal's events
 * before a seq never change), so the next pages can be asked for before this one arrives.
 */
export interface OlderPageAsked {
  anchor: number;
  skip: number;
  limit: number;
  page: Promise<GoalEventsPage>;
  /** Its answer once it came (a failed one stays null). */
  arrived: GoalEventsPage | null;
}

/**
 * Where paging stands (not rendered): kept in the store with the rows, so closing the timeline
 * releases everything it held. Replaced whole on every reset: an answer that arrives for a replaced
 * cursor is dropped.
 */
export interface TimelineCursor {
  /** Pair keys (tool call, permission request) to the seq of their row (see appendEvents). */
  pairs: Map<string, number>;
  oldestSeq: number;
  newestSeq: number;
  /** Size of the next older page to ask for. */
  olderPage: number;
  /** Live events that arrived while the first page was loading, or since the last flush. */
  pendingLive: LoggedEvent[];
  flushScheduled: boolean;
  /**
   * Older pages asked for ahead, each right before the previous one (the first right before the
   * oldest loaded event), not yet laid out: once the operator pages back, up to PAGES_AHEAD are
   * asked for at once, so the host reads one while the page parses the one before and the rows of
   * this one are laid out.
   */
  ahead: OlderPageAsked[];
}

interface TimelineState {
  goalId: string | null;
  rows: TimelineRow[];
  /** Events stored for the goal (as of the last page, plus live ones since). */
  total: number;
  /** Events held in memory (rows may be fewer: some events fold into others or are not shown). */
  loadedEvents: number;
  hasOlder: boolean;
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadingOlder: boolean;
  error: string | null;
  cursor: TimelineCursor;
}

function freshCursor(): TimelineCursor {
  return {
    pairs: new Map(),
    oldestSeq: Number.POSITIVE_INFINITY,
    newestSeq: -1,
    olderPage: OLDER_PAGE,
    pendingLive: [],
    flushScheduled: false,
    ahead: [],
  };
}

const initial: Omit<TimelineState, 'cursor'> = {
  goalId: null,
  rows: [],
  total: 0,
  loadedEvents: 0,
  hasOlder: false,
  status: 'idle',
  loadingOlder: false,
  error: null,
};

export const useTimeline = create<TimelineState>(() => ({ ...initial, cursor: freshCursor() }));

/** The paging cursor of the timeline as it is now. */
function cursor(): TimelineCursor {
  return useTimeline.getState().cursor;
}

function reset(goalId: string | null): TimelineCursor {
  const fresh = freshCursor();
  useTimeline.setState({
    ...initial,
    goalId,
    status: goalId === null ? 'idle' : 'loading',
    cursor: fresh,
  });
  return fresh;
}

/** Opens `goalId`'s timeline (no-op when it is already open). */
export function openTimeline(goalId: string): void {
  if (useTimeline.getState().goalId === goalId) return;
  void loadNewest(goalId, reset(goalId));
}

/**
 * Closes the timeline (its goal view closed): drops the rows, the paging cursor and any page asked
 * for ahead, and ignores answers still on their way. A no-op when `goalId` is given and another
 * goal's timeline is open (a view closing after the next one opened).
 */
export function closeTimeline(goalId?: string): void {
  const open = useTimeline.getState().goalId;
  if (open === null || (goalId !== undefined && open !== goalId)) return;
  reset(null);
}

/** Drops what is loaded and reads the newest page again (after a resync). */
export function reloadTimeline(): void {
  const goalId = useTimeline.getState().goalId;
  if (goalId === null) return;
  void loadNewest(goalId, reset(goalId));
}

/** Whether `held` is still the open timeline's cursor (not reset or closed since). */
function current(held: TimelineCursor): boolean {
  return cursor() === held;
}

async function loadNewest(goalId: string, held: TimelineCursor): Promise<void> {
  try {
    const page = await call('goal.events', { goalId, limit: FIRST_PAGE, clipTextsAt: PAGE_CLIP_CHARS });
    if (!current(held)) return;
    const rows: TimelineRow[] = [];
    appendEvents(rows, held.pairs, page.events);
    held.oldestSeq = page.events[0]?.logSeq ?? Number.POSITIVE_INFINITY;
    held.newestSeq = page.events[page.events.length - 1]?.logSeq ?? -1;
    useTimeline.setState({
      rows,
      total: page.total,
      loadedEvents: page.events.length,
      hasOlder: page.hasMore,
      status: 'ready',
      error: null,
    });
    flushLive();
  } catch (error) {
    if (!current(held)) return;
    useTimeline.setState({ status: 'error', error: errorMessage(error) });
  }
}

/** Loads the page before the oldest loaded event; no-op while one is loading or when none is left. */
export async function loadOlder(): Promise<void> {
  const state = useTimeline.getState();
  if (state.goalId === null || state.status !== 'ready' || state.loadingOlder || !state.hasOlder) return;
  const held = state.cursor;
  useTimeline.setState({ loadingOlder: true });
  try {
    const page = await nextOlderPage(held, state.goalId);
    if (!current(held)) return;
    const newest = page.events.at(-1)?.logSeq;
    if (newest !== undefined && newest >= held.oldestSeq)
      throw new Error('the older page did not follow on; try again');
    const older: TimelineRow[] = [];
    const olderPairs = new Map<string, number>();
    appendEvents(older, olderPairs, page.events);
    for (const [key, seq] of olderPairs) if (!held.pairs.has(key)) held.pairs.set(key, seq);
    held.oldestSeq = page.events[0]?.logSeq ?? held.oldestSeq;
    if (page.hasMore) askAhead(held, state.goalId);
    else held.ahead = [];
    useTimeline.setState((now) => ({
      rows: older.concat(now.rows),
      loadedEvents: now.loadedEvents + page.events.length,
      hasOlder: page.hasMore,
      loadingOlder: false,
      error: null,
    }));
  } catch (error) {
    if (!current(held)) return;
    // A failed page is asked for again on the next try, with the pages that were to follow it.
    held.ahead = [];
    useTimeline.setState({ loadingOlder: false, error: errorMessage(error) });
  }
}

/**
 * The page before the oldest loaded event: the first one held ahead; when none is, it is asked for
 * now from the oldest loaded event, with the pages that follow it held ahead.
 */
function nextOlderPage(held: TimelineCursor, goalId: string): Promise<GoalEventsPage> {
  const first = held.ahead.shift();
  if (first !== undefined) return first.page;
  const asked = ask(held, goalId, held.oldestSeq, 0);
  askAhead(held, goalId, asked);
  return asked.page;
}

function ask(held: TimelineCursor, goalId: string, anchor: number, skip: number): OlderPageAsked {
  const limit = held.olderPage;
  held.olderPage = Math.min(MAX_OLDER_PAGE, held.olderPage * 2);
  const page = call('goal.events', {
    goalId,
    beforeSeq: anchor,
    ...(skip > 0 ? { skip } : {}),
    limit,
    clipTextsAt: PAGE_CLIP_CHARS,
  });
  const asked: OlderPageAsked = { anchor, skip, limit, page, arrived: null };
  // A failure is reported when the page is used (loadOlder), not as an unhandled rejection here.
  page.then(
    (answer) => (asked.arrived = answer),
    () => undefined,
  );
  return asked;
}

/**
 * Holds up to PAGES_AHEAD pages asked for beyond the oldest loaded event (or beyond `from`, the page
 * being loaded when none is held), each right before the last one: anchored at that page's oldest
 * event once it came, else at its anchor past it (skip); at the oldest loaded event when there is
 * no page to follow. None past a page that came saying it is the oldest.
 */
function askAhead(held: TimelineCursor, goalId: string, from?: OlderPageAsked): void {
  while (held.ahead.length < PAGES_AHEAD) {
    const last = held.ahead.at(-1) ?? from;
    if (last === undefined) {
      held.ahead.push(ask(held, goalId, held.oldestSeq, 0));
      continue;
    }
    if (last.arrived !== null && !last.arrived.hasMore) return;
    const oldest = last.arrived?.events[0]?.logSeq;
    held.ahead.push(
      oldest === undefined ? ask(held, goalId, last.anchor, last.skip + last.limit) : ask(held, goalId, oldest, 0),
    );
  }
}

function flushLive(): void {
  const state = useTimeline.getState();
  const held = state.cursor;
  held.flushScheduled = false;
  if (state.status !== 'ready' || held.pendingLive.length === 0) return;
  const fresh = held.pendingLive.filter((logged) => logged.logSeq > held.newestSeq).sort((a, b) => a.logSeq - b.logSeq);
  held.pendingLive = [];
  if (fresh.length === 0) return;
  const rows = state.rows.slice();
  appendEvents(rows, held.pairs, fresh);
  held.newestSeq = fresh[fresh.length - 1]?.logSeq ?? held.newestSeq;
  if (held.oldestSeq === Number.POSITIVE_INFINITY) held.oldestSeq = fresh[0]?.logSeq ?? held.oldestSeq;
  useTimeline.setState({ rows, total: state.total + fresh.length, loadedEvents: state.loadedEvents + fresh.length });
}

function scheduleFlush(held: TimelineCursor): void {
  if (held.flushScheduled) return;
  held.flushScheduled = true;
  // A timer, not requestAnimationFrame: a hidden page still keeps its timeline current.
  setTimeout(() => {
    if (current(held)) flushLive();
  }, 30);
}

/** A live event from the host: appended when it belongs to the open goal. */
export function receiveLiveEvent(logged: LoggedEvent): void {
  const state = useTimeline.getState();
  if (state.goalId === null || logged.event.goalId !== state.goalId) return;
  state.cursor.pendingLive.push(logged);
  if (state.status === 'ready') scheduleFlush(state.cursor);
}

/** Reads one event in full, its texts not cut (for rows whose text was cut to a preview). */
export async function fetchFullEvent(goalId: string, seq: number): Promise<LoggedEvent> {
  const page = await call('goal.events', { goalId, afterSeq: Math.max(0, seq - 1), limit: 1 });
  const found = page.events.find((logged) => logged.logSeq === seq);
  if (found === undefined) throw new Error(`event ${seq} is no longer stored`);
  return found;
}
