// The sidebar: every goal with its status, turn count, tokens and cost, and a badge when it waits
// for a permission decision. Newest first.
import type { GoalSummary } from '../../../shared/domain/views';
import { ErrorText, Loading, StatusBadge } from '../../components/bits';
import { clip, formatCost, formatTokens, shortPath } from '../../lib/format';
import { useGoals } from '../../state/queries';
import { navigate, routeHash, useRoute } from '../../state/route';

function GoalItem({ goal, selected }: { goal: GoalSummary; selected: boolean }) {
  return (
    <li>
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
          <StatusBadge status={goal.status} />
          <span title="turns used of the limit">
            {goal.turns}/{goal.maxTurns} turns
          </span>
          <span title="tokens">{formatTokens(goal.tokens)} tok</span>
          <span title="cost">{formatCost(goal.costUsd)}</span>
          {goal.pendingPermissions > 0 && (
            <span className="badge waiting" aria-label={`${goal.pendingPermissions} waiting for permission`}>
              {goal.pendingPermissions} waiting
            </span>
          )}
        </span>
        <span className="goal-item-repo">{shortPath(goal.repoPath)}</span>
      </a>
    </li>
  );
}

export function Sidebar() {
  const goals = useGoals();
  const route = useRoute((state) => state.route);
  const selectedId = route.view === 'goal' ? route.goalId : null;
  const sorted = [...(goals.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <nav className="sidebar" aria-label="Goals">
      <div className="sidebar-head">
        <h2>Goals</h2>
        <button type="button" className="primary" onClick={() => navigate({ view: 'new' })}>
          New goal
        </button>
      </div>
      {goals.isPending && <Loading label="Loading goals…" />}
      <ErrorText error={goals.error} />
      {goals.data !== undefined && goals.data.length === 0 && <p className="muted">No goals yet. Start one with “New goal”.</p>}
      <ul className="goal-list">
        {sorted.map((goal) => (
          <GoalItem key={goal.id} goal={goal} selected={goal.id === selectedId} />
        ))}
      </ul>
    </nav>
  );
}
