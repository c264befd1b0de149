// The goal view: a compact header (status, repository, workspace on one line), budget meter chips,
// controls in one row, and tabs for the live timeline, the turns with their diffs, the cumulative changes and the permission log.
import { lazy, Suspense } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import { ErrorText, Loading, StatusBadge } from '../../components/bits';
import { formatDateTime } from '../../lib/format';
import { useGoalDetail } from '../../state/queries';
import { GOAL_TABS, navigate, type GoalTab } from '../../state/route';
import { useDiffDialog } from '../../state/diff-dialog';
import { BudgetMeters } from './BudgetMeters';
import { GoalControls } from './GoalControls';
import { Timeline, useTimelineClosedOnLeave } from '../timeline/Timeline';
import { SetupRetry } from '../land/SetupRetry';
import { TurnStatusLine } from '../live/TurnStatusLine';
import { useLiveUsage } from '../live/live-usage';
import { CapPanel } from './CapPanel';

// The tabs other than the timeline, and the diff viewer (react-diff-view), load when first shown,
// not with the console: the goal's first paint is its header and timeline.
const TurnsTable = lazy(() => import('./TurnsTable').then((module) => ({ default: module.TurnsTable })));
const UsageCharts = lazy(() => import('./UsageCharts').then((module) => ({ default: module.UsageCharts })));
const GoalPermissions = lazy(() => import('./GoalPermissions').then((module) => ({ default: module.GoalPermissions })));
const LandPanel = lazy(() => import('../land/LandPanel').then((module) => ({ default: module.LandPanel })));
const CumulativeChanges = lazy(() =>
  import('../diff/CumulativeChanges').then((module) => ({ default: module.CumulativeChanges })),
);
const TurnDiffDialog = lazy(() =>
  import('../diff/TurnDiffDialog').then((module) => ({ default: module.TurnDiffDialog })),
);

const TAB_LABELS: Record<GoalTab, string> = {
  timeline: 'Timeline',
  turns: 'Turns',
  changes: 'Changes',
  permissions: 'Permissions',
};

function describeWorkspace(detail: GoalDetail): string {
  const workspace = detail.workspace;
  if (workspace === null) return detail.goal.inPlace ? 'in place' : 'worktree (not created yet)';
  if (workspace.kind === 'worktree') {
    return `worktree ${workspace.path}${workspace.branch !== null ? ` on ${workspace.branch}` : ''}`;
  }
  if (workspace.kind === 'in_place') return `in place${workspace.branch !== null ? ` on ${workspace.branch}` : ''}`;
  return 'no git (no diffs)';
}

/** Title, status, the one-line activity and the goal's facts on one line (full text on hover). */
function Header({ detail }: { detail: GoalDetail }) {
  const workspaceText = describeWorkspace(detail);
  return (
    <header className="goal-header">
      <div className="goal-title-row">
        <h2 className="goal-title">{detail.goal.description}</h2>
        <StatusBadge status={detail.summary.status} pausedAtCap={detail.summary.pausedAtCap} />
        {detail.turnRunning && <span className="badge running-dot">turn running</span>}
      </div>
      <TurnStatusLine detail={detail} />
      <dl className="goal-facts">
        <div>
          <dt>Repository</dt>
          <dd title={detail.goal.repoPath}>{detail.goal.repoPath}</dd>
        </div>
        <div>
          <dt>Workspace</dt>
          <dd title={workspaceText}>{workspaceText}</dd>
        </div>
        <div>
          <dt>Mode</dt>
          <dd>{detail.goal.permissionMode}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(detail.goal.createdAt)}</dd>
        </div>
      </dl>
    </header>
  );
}

function LiveMeters({ detail }: { detail: GoalDetail }) {
  const { usage, live } = useLiveUsage(detail);
  return <BudgetMeters usage={usage} budget={detail.budget} live={live} />;
}

function Tabs({ goalId, tab }: { goalId: string; tab: GoalTab }) {
  return (
    <div role="tablist" aria-label="Goal sections" className="tabs">
      {GOAL_TABS.map((candidate) => (
        <button
          key={candidate}
          type="button"
          role="tab"
          id={`tab-${candidate}`}
          aria-selected={candidate === tab}
          aria-controls={`panel-${candidate}`}
          className={candidate === tab ? 'tab active' : 'tab'}
          onClick={() => navigate({ view: 'goal', goalId, tab: candidate })}
        >
          {TAB_LABELS[candidate]}
        </button>
      ))}
    </div>
  );
}

export function GoalView({ goalId, tab }: { goalId: string; tab: GoalTab }) {
  const detail = useGoalDetail(goalId);
  const diffOpen = useDiffDialog((state) => state.open);
  const data = detail.data;
  useTimelineClosedOnLeave(goalId);
  // The timeline does not wait for the goal's details: both load at once.
  return (
    <section className="view goal-view" aria-label="Goal">
      {detail.isPending && <Loading label="Loading goal…" />}
      <ErrorText error={detail.error} />
      {data !== undefined && (
        <>
          <div className="goal-top" data-testid="goal-top">
            <Header detail={data} />
            <LiveMeters detail={data} />
            <GoalControls detail={data} />
          </div>
          <CapPanel detail={data} />
          <SetupRetry detail={data} />
        </>
      )}
      <Tabs goalId={goalId} tab={tab} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'timeline' && <Timeline goalId={goalId} />}
        {tab === 'turns' && data !== undefined && (
          <Suspense fallback={<Loading label="Loading the turns…" />}>
            <UsageCharts detail={data} />
            <TurnsTable detail={data} />
          </Suspense>
        )}
        {tab === 'changes' && (
          <Suspense fallback={<Loading label="Loading the changes…" />}>
            <LandPanel goalId={goalId} />
            <CumulativeChanges goalId={goalId} />
          </Suspense>
        )}
        {tab === 'permissions' && (
          <Suspense fallback={<Loading label="Loading the permission log…" />}>
            <GoalPermissions goalId={goalId} />
          </Suspense>
        )}
      </div>
      {data !== undefined && diffOpen !== null && diffOpen.goalId === goalId && (
        <Suspense fallback={null}>
          <TurnDiffDialog detail={data} turnIndex={diffOpen.turnIndex} />
        </Suspense>
      )}
    </section>
  );
}
