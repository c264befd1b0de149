// Live wiring: every host event fans out from here. Goal events feed the open timeline and
// invalidate the queries they change (throttled, so a busy turn does not refetch per line);
// permission events refresh the inbox at once and may raise a desktop notification.
import { api } from '../api';
import { call } from '../lib/command';
import type { LoggedEvent } from '../../shared/domain/views';
import type { CommandResponse } from '../../shared/contract';
import { queryClient } from './query-client';
import { queryKeys } from './queries';
import { receiveLiveEvent, reloadTimeline } from './timeline';
import { notifyGoal, notifyPermissionRequest, notifyProgress } from './notify';
import { goalNotice } from './notify-kinds';
import { openGoal } from './route';
import { receiveLiveUsage } from './live-turn';
import type { Settings } from '../../shared/commands/settings';

const THROTTLE_MS = 400;
const scheduled = new Map<string, ReturnType<typeof setTimeout>>();

function invalidateSoon(key: readonly unknown[], exact = false): void {
  const id = JSON.stringify(key);
  if (scheduled.has(id)) return;
  scheduled.set(
    id,
    setTimeout(() => {
      scheduled.delete(id);
      void queryClient.invalidateQueries({ queryKey: key, exact });
    }, THROTTLE_MS),
  );
}

function goalLabel(goalId: string): string {
  const list = queryClient.getQueryData<CommandResponse<'goals.list'>>(queryKeys.goals);
  return list?.goals.find((goal) => goal.id === goalId)?.description ?? `goal ${goalId.slice(0, 8)}`;
}

function onGoalEvent(logged: LoggedEvent): void {
  receiveLiveEvent(logged);
  const event = logged.event;
  receiveLiveUsage(event);
  // Live usage moves the meters from its own store: no refetch per assistant message.
  if (event.kind === 'turn_usage') return;
  invalidateSoon(queryKeys.goals);
  // Only the detail (header, meters, turns), not the diffs under the same prefix.
  invalidateSoon(queryKeys.goal(event.goalId), true);
  const notice = goalNotice(event, goalLabel(event.goalId));
  if (notice !== null) notifyGoal(notice, event.goalId, openGoal);
  switch (event.kind) {
    case 'permission_requested':
      void queryClient.invalidateQueries({ queryKey: queryKeys.pending });
      void queryClient.invalidateQueries({ queryKey: queryKeys.goalPermissions(event.goalId) });
      void notifyPermissionRequest(event.request, goalLabel(event.goalId));
      break;
    case 'permission_decided':
      void queryClient.invalidateQueries({ queryKey: queryKeys.pending });
      void queryClient.invalidateQueries({ queryKey: queryKeys.goalPermissions(event.goalId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.rules });
      break;
    case 'progress':
      void queryClient
        .ensureQueryData<Settings>({ queryKey: queryKeys.settings, queryFn: () => call('settings.get', {}) })
        .then((settings) => {
          if (settings.running.progressNotify) notifyProgress(goalLabel(event.goalId), event.turnIndex, event.lastText);
        })
        .catch(() => undefined);
      break;
    case 'checkpoint':
    case 'rollback':
    case 'file_reverted':
      invalidateSoon(queryKeys.cumulativeDiff(event.goalId));
      break;
    case 'goal_landed':
      // Landed from elsewhere too (`overseer land` through this host): the Land panel and the diff follow.
      invalidateSoon(queryKeys.land(event.goalId));
      invalidateSoon(queryKeys.cumulativeDiff(event.goalId));
      break;
    case 'goal_started':
    case 'goal_completed':
      // Landing waits while the goal runs.
      invalidateSoon(queryKeys.land(event.goalId));
      break;
    default:
      break;
  }
}

let started = false;

/** Starts listening (once). */
export function startLiveUpdates(): void {
  if (started) return;
  started = true;
  api.subscribe((event) => {
    if (event.channel === 'goal.event') onGoalEvent(event.payload);
  });
  api.onResync(() => {
    void queryClient.invalidateQueries();
    reloadTimeline();
  });
}
