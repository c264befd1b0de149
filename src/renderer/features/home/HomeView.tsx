// The home page: what needs you (prompts waiting, goals paused at a budget cap, failed setups,
// goals Overseer stopped), what is running, and what is ready to land, each a link to its goal.
// The host's details and connection checks live in Settings → About. A long section shows its
// first items and more on request (see shown-items.ts).
import { useState } from 'react';
import type { GoalSummary } from '../../../shared/domain/views';
import type { PermissionRecord } from '../../../shared/domain/permission';
import { AXIS_LABELS } from '../../../shared/domain/budget-extension';
import { toolSummary } from '../../../shared/tool-input';
import { ErrorText, Loading, StatusBadge } from '../../components/bits';
import { clip, formatCost, formatTokens, plural, shortPath } from '../../lib/format';
import { formatElapsed } from '../../state/activity';
import { useNow } from '../../state/live-turn';
import { useGoals, useGoalTotal, usePendingPermissions } from '../../state/queries';
import { navigate, routeHash, setInboxOpen, type GoalTab } from '../../state/route';
import { RunnerBadge } from '../runners/RunnerBadge';
import { moreLabel, SECTION_FIRST, SECTION_STEP, shownItems } from './shown-items';

const RUNNING = new Set(['running', 'sleeping', 'queued', 'paused']);

function GoalLink({
  goal,
  tab = 'timeline',
  children,
}: {
  goal: GoalSummary;
  tab?: GoalTab;
  children?: React.ReactNode;
}) {
  return (
    <a
      href={routeHash({ view: 'goal', goalId: goal.id, tab })}
      onClick={(event) => {
        event.preventDefault();
        navigate({ view: 'goal', goalId: goal.id, tab });
      }}
    >
      {children ?? clip(goal.description, 100)}
    </a>
  );
}

/** One line of a home section: its goal (when there is one), what about it, and what to do. */
interface HomeItem {
  key: string;
  goal: GoalSummary | null;
  text: string;
  action: React.ReactNode;
}

/** A section of the home page; "Needs you" is urgent: its text is the point, not a detail. */
interface HomeSection {
  id: string;
  title: string;
  empty: string;
  urgent: boolean;
  items: HomeItem[];
}

function needsOf(goals: GoalSummary[], pending: PermissionRecord[], now: number): HomeItem[] {
  const byId = new Map(goals.map((goal) => [goal.id, goal]));
  const needs: HomeItem[] = pending.map((record) => {
    const waited = formatElapsed(now - Date.parse(record.request.createdAt));
    return {
      key: `prompt-${record.request.id}`,
      goal: byId.get(record.request.goalId) ?? null,
      text: `${record.request.toolName} waits for your approval (${waited}): ${clip(toolSummary(record.request.toolName, record.request.input), 120)}`,
      action: (
        <button type="button" className="primary" onClick={() => setInboxOpen(true)}>
          Review
        </button>
      ),
    };
  });
  for (const goal of goals) {
    if (goal.status === 'paused' && goal.pausedAtCap !== null) {
      needs.push({
        key: `cap-${goal.id}`,
        goal,
        text: `Paused at its ${AXIS_LABELS[goal.pausedAtCap]} cap: give it more or end it`,
        action: <GoalLink goal={goal}>Decide</GoalLink>,
      });
    } else if (goal.status === 'setup_failed') {
      needs.push({
        key: `setup-${goal.id}`,
        goal,
        text: 'Worktree setup failed: fix it and retry',
        action: <GoalLink goal={goal}>Open</GoalLink>,
      });
    } else if (goal.status === 'interrupted') {
      needs.push({
        key: `stopped-${goal.id}`,
        goal,
        text: 'Overseer stopped while it ran: restart it',
        action: <GoalLink goal={goal}>Open</GoalLink>,
      });
    }
  }
  return needs;
}

/** The home page's sections, in order: what needs you, what runs, what is ready to land. */
function homeSections(goals: GoalSummary[], pending: PermissionRecord[], now: number): HomeSection[] {
  const running = goals.filter((goal) => RUNNING.has(goal.status) && goal.pausedAtCap === null);
  const ready = goals.filter((goal) => goal.status === 'done' && !goal.landed);
  return [
    {
      id: 'home-needs',
      title: 'Needs you',
      empty: 'Nothing waits for you.',
      urgent: true,
      items: needsOf(goals, pending, now),
    },
    {
      id: 'home-running',
      title: 'Running',
      empty: 'No goal is running.',
      urgent: false,
      items: running.map((goal) => ({
        key: goal.id,
        goal,
        text: `${shortPath(goal.repoPath)} · ${goal.turns}/${goal.maxTurns} turns · ${formatTokens(goal.tokens)} tokens · ${formatCost(goal.costUsd)}${
          goal.pendingPermissions > 0 ? ` · ${plural(goal.pendingPermissions, 'prompt')} waiting` : ''
        }`,
        action: <StatusBadge status={goal.status} pausedAtCap={goal.pausedAtCap} />,
      })),
    },
    {
      id: 'home-ready',
      title: 'Ready to land',
      empty: 'No finished work waits to be landed.',
      urgent: false,
      items: ready.map((goal) => ({
        key: goal.id,
        goal,
        text: `${shortPath(goal.repoPath)} · done in ${plural(goal.turns, 'turn')} · ${formatCost(goal.costUsd)}`,
        action: (
          <GoalLink goal={goal} tab="changes">
            Review and land
          </GoalLink>
        ),
      })),
    },
  ];
}

function HomeItemView({ item, urgent }: { item: HomeItem; urgent: boolean }) {
  return (
    <li className={urgent ? 'home-item needs' : 'home-item'}>
      <span className="home-what">
        {item.goal !== null && (
          <span className="home-goal">
            <GoalLink goal={item.goal} />
            {!urgent && (
              <>
                {' '}
                <RunnerBadge goal={item.goal} />
              </>
            )}
          </span>
        )}
        <span className={urgent ? undefined : 'hint'}>{item.text}</span>
      </span>
      {item.action}
    </li>
  );
}

function Section({ section }: { section: HomeSection }) {
  const { id, title, empty, urgent, items } = section;
  const [shown, setShown] = useState(SECTION_FIRST);
  const more = moreLabel(items.length, shown);
  return (
    <section className="home-section" aria-labelledby={id} data-testid={id}>
      <h3 id={id}>
        {title} <span className="count">{items.length}</span>
      </h3>
      {items.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul className="home-list">
          {shownItems(items, shown).map((item) => (
            <HomeItemView key={item.key} item={item} urgent={urgent} />
          ))}
        </ul>
      )}
      {more !== null && (
        <button type="button" onClick={() => setShown((current) => current + SECTION_STEP)}>
          {more}
        </button>
      )}
    </section>
  );
}

export function HomeView() {
  const goals = useGoals();
  // The list holds the newest 500; the host counts them all (an older host does not: then the list's length).
  const total = useGoalTotal();
  const pending = usePendingPermissions();
  const now = useNow((pending.data?.length ?? 0) > 0);
  const all = goals.data ?? [];

  return (
    <section className="view home" aria-labelledby="home-title">
      <div className="home-head">
        <h2 id="home-title">Overview</h2>
        <button type="button" className="primary" onClick={() => navigate({ view: 'new' })}>
          Start a new goal
        </button>
      </div>
      {(goals.isPending || pending.isPending) && <Loading />}
      <ErrorText error={goals.error ?? pending.error} />
      {goals.data !== undefined && (
        <>
          {homeSections(all, pending.data ?? [], now).map((section) => (
            <Section key={section.id} section={section} />
          ))}
          <p className="hint">
            {plural(total ?? all.length, 'goal')} in all. Host details and connection checks: Settings → About.
          </p>
        </>
      )}
    </section>
  );
}
