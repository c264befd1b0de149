// The live timeline: a virtualized list (@tanstack/react-virtual) of the goal's compact rows.
// Only the visible rows are rendered. It stays at the newest entry while the operator is there
// (followOnAppend), keeps its place when older pages are prepended (anchored to the end while
// older pages may come; see row-layout.ts), and pages older events in as the operator scrolls up.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useShallow } from 'zustand/react/shallow';
import { ErrorText, Loading } from '../../components/bits';
import { clearRowDetails } from '../../state/row-details';
import { closeTimeline, loadOlder, openTimeline, useTimeline } from '../../state/timeline';
import { TimelineRowView } from './TimelineRowView';
import { anchorFor, AT_END_PX, nearEnd, rowEstimates } from './row-layout';

const LOAD_OLDER_WITHIN = 40;

interface VirtualView {
  getTotalSize(): number;
  scrollRect: { height: number } | null;
  scrollOffset: number | null;
}

function atEndOf(view: VirtualView): boolean {
  return nearEnd(view.getTotalSize(), view.scrollRect?.height ?? 0, view.scrollOffset ?? 0);
}

/**
 * For the goal view: closes `goalId`'s timeline when the view closes (unmount, or a route to another
 * view), so its rows and paging cursor are released. Switching the view's tabs keeps it open.
 */
export function useTimelineClosedOnLeave(goalId: string): void {
  useEffect(() => () => closeTimeline(goalId), [goalId]);
}

export function Timeline({ goalId }: { goalId: string }) {
  useEffect(() => {
    if (useTimeline.getState().goalId !== goalId) clearRowDetails();
    openTimeline(goalId);
  }, [goalId]);
  const { rows, status, error, hasOlder, loadingOlder, total, loadedEvents, openGoal } = useTimeline(
    useShallow((state) => ({
      rows: state.rows,
      status: state.status,
      error: state.error,
      hasOlder: state.hasOlder,
      loadingOlder: state.loadingOlder,
      total: state.total,
      loadedEvents: state.loadedEvents,
      openGoal: state.goalId,
    })),
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable while the rows are: the virtualizer recomputes every row's position (all 100k of them in
  // a long history) whenever getItemKey changes identity, and it re-renders on every scroll frame.
  const estimates = useMemo(() => rowEstimates(rows), [rows]);
  const estimateSize = useCallback((index: number) => estimates[index] ?? 40, [estimates]);
  const getItemKey = useCallback((index: number) => rows[index]?.seq ?? index, [rows]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  // Whether the operator sits at the newest entry, as of the last scroll or layout change.
  const [following, setFollowing] = useState(true);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    getItemKey,
    overscan: 8,
    anchorTo: anchorFor(hasOlder, following),
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    onChange: (instance) => setFollowing(atEndOf(instance)),
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;

  // First page in: start at the newest entry. Older pages load only once the list sits there
  // (before that the first render starts at the top and would ask for them at once).
  const startedAtEnd = useRef<string | null>(null);
  const [positioned, setPositioned] = useState<string | null>(null);
  useEffect(() => {
    if (status !== 'ready' || startedAtEnd.current === goalId) return;
    startedAtEnd.current = goalId;
    if (rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    requestAnimationFrame(() => requestAnimationFrame(() => setPositioned(goalId)));
  }, [status, rows.length, goalId, virtualizer]);

  useEffect(() => {
    if (positioned !== goalId || status !== 'ready' || !hasOlder || loadingOlder) return;
    if (rows.length === 0 || firstIndex < LOAD_OLDER_WITHIN) void loadOlder();
  }, [positioned, goalId, firstIndex, status, hasOlder, loadingOlder, rows.length]);

  const atEnd = rows.length === 0 || atEndOf(virtualizer);
  return (
    <div className="timeline-wrap">
      <div className="timeline-status" role="status" aria-label="Timeline status">
        {status === 'loading' && 'Loading the timeline…'}
        {status === 'ready' && `${loadedEvents.toLocaleString()} of ${total.toLocaleString()} events loaded`}
        {loadingOlder && ' · loading older…'}
      </div>
      <ErrorText error={error} />
      <div
        ref={scrollRef}
        className="timeline-scroll"
        role="region"
        aria-label="Timeline"
        tabIndex={0}
        data-testid="timeline-scroll"
      >
        {status === 'ready' && openGoal === goalId && (
          <div role="list" className="timeline-list" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (row === undefined) return null;
              return (
                <div
                  key={item.key}
                  role="listitem"
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="timeline-item"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {item.index === 0 && (
                    <div className="timeline-edge">
                      {hasOlder ? (
                        loadingOlder ? (
                          <Loading label="Loading older entries…" />
                        ) : (
                          'Scroll up for older entries'
                        )
                      ) : (
                        'Beginning of the goal'
                      )}
                    </div>
                  )}
                  <TimelineRowView row={row} goalId={goalId} />
                </div>
              );
            })}
          </div>
        )}
        {status === 'ready' && rows.length === 0 && <p className="muted timeline-empty">Nothing has happened yet.</p>}
        {status === 'loading' && <Loading label="Loading the timeline…" />}
      </div>
      {!atEnd && (
        <button
          type="button"
          className="jump-latest"
          onClick={() => virtualizer.scrollToIndex(rows.length - 1, { align: 'end' })}
        >
          Jump to latest
        </button>
      )}
    </div>
  );
}
