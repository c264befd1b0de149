// The sidebar: every goal with its status, turn count, tokens and cost, a sparkline of its tokens
// per turn (sent with the goal list, so no goal's details are fetched for it), and a badge when it waits
// for a permission decision. Newest first. The list is virtualized (@tanstack/react-virtual, the
// sidebar itself scrolls): only the goals in view are in the DOM, so a thousand goals paint like ten.
// The host sends the newest 500; when there are more, the list's end says so and points to search. At
// the console's start the newest 50 come first, so it paints before the whole list is in (queries.ts).
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { newestGoalFirst } from '../../../shared/domain/goal-list';
import type { GoalSummary } from '../../../shared/domain/views';
import { ErrorText, Loading, StatusBadge } from '../../components/bits';
import { RunnerBadge } from '../runners/RunnerBadge';
import { clip, formatCost, formatTokens, shortPath } from '../../lib/format';
import { useGoalTotal, useSidebarGoals } from '../../state/queries';
import { Sparkline } from './Sparkline';
import { navigate, routeHash, useRoute } from '../../state/route';

/** A goal item's height before it is measured (title on one line). */
const ESTIMATED_ITEM_PX = 84;
const ITEM_GAP_PX = 6;

/** Tokens per turn of a goal that has run a turn (sent with the goal list: no details fetched). */
function GoalSparkline({ goal }: { goal: GoalSummary }) {
  if (goal.turns === 0 || goal.tokensPerTurn.length === 0) return null;
  return <Sparkline values={goal.tokensPerTurn} from={goal.tokensPerTurnFrom} />;
}

function GoalLink({ goal, selected }: { goal: GoalSummary; selected: boolean }) {
  return (
    <a
      className={`goal-item${selected ? ' selected' : ''}`}
      href={routeHash({ view: 'goal', goalId: goal.id, tab: 'timeline' })}
      aria-current={selected ? 'page' : undefined}
      data-testid="goal-item"
      onClick={(event) => {
        event.preventDefault();
        navigate({ view: 'goal', goalId: goal.id, tab: 'timeline' });
      }}
    >
      <span className="goal-item-title">{clip(goal.description, 90)}</span>
      <span className="goal-item-meta">
        <StatusBadge status={goal.status} pausedAtCap={goal.pausedAtCap} />
        <RunnerBadge goal={goal} />
        <span title="turns used of the limit">
          {goal.turns}/{goal.maxTurns} turns
        </span>
        <span title="tokens">{formatTokens(goal.tokens)} tok</span>
        <GoalSparkline goal={goal} />
        <span title="cost">{formatCost(goal.costUsd)}</span>
        {goal.pendingPermissions > 0 && (
          <span className="badge waiting" aria-label={`${goal.pendingPermissions} waiting for permission`}>
            {goal.pendingPermissions} waiting
          </span>
        )}
      </span>
      <span className="goal-item-repo">{shortPath(goal.repoPath)}</span>
    </a>
  );
}

function GoalList({
  goals,
  selectedId,
  scrollRef,
}: {
  goals: GoalSummary[];
  selectedId: string | null;
  scrollRef: RefObject<HTMLElement | null>;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  // Where the list starts inside the scrolling sidebar (below its heading).
  const [scrollMargin, setScrollMargin] = useState(0);
  // Measured after every render on purpose (the heading above can change height with any render);
  // the functional update keeps the same value when nothing moved, so it settles at once.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    const list = listRef.current;
    const scroller = scrollRef.current;
    if (list === null || scroller === null) return;
    const margin = list.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    setScrollMargin((current) => (Math.abs(current - margin) < 1 ? current : margin));
  });
  const getScrollElement = useCallback(() => scrollRef.current, [scrollRef]);
  const getItemKey = useCallback((index: number) => goals[index]?.id ?? index, [goals]);
  const estimateSize = useCallback(() => ESTIMATED_ITEM_PX, []);
  const virtualizer = useVirtualizer({
    count: goals.length,
    getScrollElement,
    estimateSize,
    getItemKey,
    gap: ITEM_GAP_PX,
    overscan: 6,
    scrollMargin,
  });
  return (
    <ul
      ref={listRef}
      className="goal-list"
      style={{ display: 'block', position: 'relative', height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((item) => {
        const goal = goals[item.index];
        if (goal === undefined) return null;
        return (
          <li
            key={item.key}
            data-index={item.index}
            ref={virtualizer.measureElement}
            style={{
              position: 'absolute',
              top: 0,
              left: 0,
              width: '100%',
              transform: `translateY(${item.start - scrollMargin}px)`,
            }}
          >
            <GoalLink goal={goal} selected={goal.id === selectedId} />
          </li>
        );
      })}
    </ul>
  );
}

/** `hidden`: collapsed by the operator; kept mounted so the list keeps its place. */
export function Sidebar({ hidden = false }: { hidden?: boolean }) {
  const goals = useSidebarGoals();
  const total = useGoalTotal();
  const route = useRoute((state) => state.route);
  const selectedId = route.view === 'goal' ? route.goalId : null;
  const sorted = useMemo(() => [...(goals.goals ?? [])].sort(newestGoalFirst), [goals.goals]);
  const scrollRef = useRef<HTMLElement>(null);
  return (
    <nav ref={scrollRef} id="goals-sidebar" className="sidebar" aria-label="Goals" hidden={hidden}>
      <div className="sidebar-head">
        <h2>Goals</h2>
        <button type="button" className="primary" onClick={() => navigate({ view: 'new' })}>
          New goal
        </button>
      </div>
      {goals.goals === undefined && goals.error === null && <Loading label="Loading goals…" />}
      <ErrorText error={goals.error} />
      {goals.whole && sorted.length === 0 && <p className="muted">No goals yet. Start one with “New goal”.</p>}
      <GoalList goals={sorted} selectedId={selectedId} scrollRef={scrollRef} />
      {goals.whole && total !== undefined && total > sorted.length && (
        <p className="muted sidebar-more" data-testid="goals-left-out">
          Showing the newest {sorted.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} goals. Search
          (in the title bar) finds any goal.
        </p>
      )}
    </nav>
  );
}
