// The open goal's timeline (zustand): compact rows, paged backwards from the newest events via
// goal.events, with live events appended as they arrive (batched per animation frame). One goal
// at a time; opening another drops the previous rows.
import { create } from 'zustand';
import type { LoggedEvent } from '../../shared/domain/views';
import type { CommandResponse } from '../../shared/contract';
import { call, errorMessage } from '../lib/command';
import { appendEvents, type TimelineRow } from './timeline-rows';

export const FIRST_PAGE = 500;
/** The first older page; each next one doubles, up to MAX_OLDER_PAGE (paging a 100k history in takes ~22 calls, not 100). */
export const OLDER_PAGE = 1000;
export const MAX_OLDER_PAGE = 5000; // goal.events allows at most 5000 per call

type GoalEventsPage = CommandResponse<'goal.events'>;

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
}

const initial: TimelineState = {
  goalId: null,
  rows: [],
  total: 0,
  loadedEvents: 0,
  hasOlder: false,
  status: 'idle',
  loadingOlder: false,
  error: null,
};

export const useTimeline = create<TimelineState>(() => initial);

let generation = 0;
let pairs = new Map<string, number>();
let oldestSeq = Number.POSITIVE_INFINITY;
let newestSeq = -1;
/** Live events that arrived while the first page was loading, or since the last flush. */
let pendingLive: LoggedEvent[] = [];
let flushScheduled = false;
/** Size of the next older page. */
let olderPage = OLDER_PAGE;
/**
 * The next older page, asked for as soon as the previous one arrived: once the operator pages back,
 * the host reads the next page while this page is being laid out (the two overlap instead of
 * taking turns). Held until used or the timeline is reset.
 */
let prefetched: { beforeSeq: number; limit: number; page: Promise<GoalEventsPage> } | null = null;

function reset(goalId: string | null): void {
  generation += 1;
  pairs = new Map();
  oldestSeq = Number.POSITIVE_INFINITY;
  newestSeq = -1;
  pendingLive = [];
  olderPage = OLDER_PAGE;
  prefetched = null;
  useTimeline.setState({ ...initial, goalId, status: goalId === null ? 'idle' : 'loading' });
}

/** Opens `goalId`'s timeline (no-op when it is already open). */
export function openTimeline(goalId: string): void {
  if (useTimeline.getState().goalId === goalId) return;
  reset(goalId);
  void loadNewest(goalId, generation);
}

export function closeTimeline(): void {
  reset(null);
}

/** Drops what is loaded and reads the newest page again (after a resync). */
export function reloadTimeline(): void {
  const goalId = useTimeline.getState().goalId;
  if (goalId === null) return;
  reset(goalId);
  void loadNewest(goalId, generation);
}

async function loadNewest(goalId: string, gen: number): Promise<void> {
  try {
    const page = await call('goal.events', { goalId, limit: FIRST_PAGE });
    if (gen !== generation) return;
    const rows: TimelineRow[] = [];
    appendEvents(rows, pairs, page.events);
    oldestSeq = page.events[0]?.logSeq ?? Number.POSITIVE_INFINITY;
    newestSeq = page.events[page.events.length - 1]?.logSeq ?? -1;
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
    if (gen !== generation) return;
    useTimeline.setState({ status: 'error', error: errorMessage(error) });
  }
}

/** Loads the page before the oldest loaded event; no-op while one is loading or when none is left. */
export async function loadOlder(): Promise<void> {
  const state = useTimeline.getState();
  if (state.goalId === null || state.status !== 'ready' || state.loadingOlder || !state.hasOlder) return;
  const gen = generation;
  useTimeline.setState({ loadingOlder: true });
  try {
    const page = await olderEvents(state.goalId, oldestSeq, olderPage);
    if (gen !== generation) return;
    olderPage = Math.min(MAX_OLDER_PAGE, olderPage * 2);
    if (page.hasMore && page.events.length > 0) prefetch(state.goalId, page.events[0]?.logSeq ?? 0, olderPage);
    const older: TimelineRow[] = [];
    const olderPairs = new Map<string, number>();
    appendEvents(older, olderPairs, page.events);
    for (const [key, seq] of olderPairs) if (!pairs.has(key)) pairs.set(key, seq);
    oldestSeq = page.events[0]?.logSeq ?? oldestSeq;
    useTimeline.setState((current) => ({
      rows: older.concat(current.rows),
      loadedEvents: current.loadedEvents + page.events.length,
      hasOlder: page.hasMore,
      loadingOlder: false,
      error: null,
    }));
  } catch (error) {
    if (gen !== generation) return;
    useTimeline.setState({ loadingOlder: false, error: errorMessage(error) });
  }
}

/** The page before `beforeSeq`: the prefetched one when it is that page, else asked for now. */
function olderEvents(goalId: string, beforeSeq: number, limit: number): Promise<GoalEventsPage> {
  const ready = prefetched;
  prefetched = null;
  if (ready !== null && ready.beforeSeq === beforeSeq && ready.limit === limit) return ready.page;
  return call('goal.events', { goalId, beforeSeq, limit });
}

function prefetch(goalId: string, beforeSeq: number, limit: number): void {
  const page = call('goal.events', { goalId, beforeSeq, limit });
  // A failure is reported when the page is used (loadOlder), not as an unhandled rejection here.
  page.catch(() => undefined);
  prefetched = { beforeSeq, limit, page };
}

function flushLive(): void {
  flushScheduled = false;
  const state = useTimeline.getState();
  if (state.status !== 'ready' || pendingLive.length === 0) return;
  const fresh = pendingLive.filter((logged) => logged.logSeq > newestSeq).sort((a, b) => a.logSeq - b.logSeq);
  pendingLive = [];
  if (fresh.length === 0) return;
  const rows = state.rows.slice();
  appendEvents(rows, pairs, fresh);
  newestSeq = fresh[fresh.length - 1]?.logSeq ?? newestSeq;
  if (oldestSeq === Number.POSITIVE_INFINITY) oldestSeq = fresh[0]?.logSeq ?? oldestSeq;
  useTimeline.setState({ rows, total: state.total + fresh.length, loadedEvents: state.loadedEvents + fresh.length });
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // A timer, not requestAnimationFrame: a hidden page still keeps its timeline current.
  setTimeout(flushLive, 30);
}

/** A live event from the host: appended when it belongs to the open goal. */
export function receiveLiveEvent(logged: LoggedEvent): void {
  if (logged.event.goalId !== useTimeline.getState().goalId) return;
  pendingLive.push(logged);
  if (useTimeline.getState().status === 'ready') scheduleFlush();
}

/** Reads one event in full (for rows whose text was cut to a preview). */
export async function fetchFullEvent(goalId: string, seq: number): Promise<LoggedEvent> {
  const page = await call('goal.events', { goalId, afterSeq: Math.max(0, seq - 1), limit: 1 });
  const found = page.events.find((logged) => logged.logSeq === seq);
  if (found === undefined) throw new Error(`event ${seq} is no longer stored`);
  return found;
}
