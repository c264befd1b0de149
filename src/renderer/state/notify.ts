// Desktop notifications in browser mode (the Web Notification API; in the desktop app the shell
// shows native ones itself) for permission prompts, goals done, failed or paused at a cap, each kind
// switched on or off in Settings (notify-kinds.ts): permission is asked the first time a prompt
// arrives, and a notification is shown only when the page is hidden or not focused.
import type { PermissionRequest } from '../../shared/domain/permission';
import { toolSummary } from '../../shared/tool-input';
import { clip } from '../lib/format';
import { setInboxOpen } from './route';
import { api } from '../api';
import { loadNotifyPrefs, type GoalNotice } from './notify-kinds';

let asked = false;

export function notificationsSupported(): boolean {
  return api.transport === 'browser' && typeof Notification !== 'undefined';
}

export async function askNotificationPermission(): Promise<NotificationPermission> {
  if (!notificationsSupported()) return 'denied';
  asked = true;
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

function pageIsAway(): boolean {
  return document.hidden || !document.hasFocus();
}

export async function notifyPermissionRequest(request: PermissionRequest, goalLabel: string): Promise<void> {
  if (!notificationsSupported()) return;
  if (!loadNotifyPrefs().prompt) return;
  if (Notification.permission === 'default' && !asked) await askNotificationPermission();
  if (Notification.permission !== 'granted' || !pageIsAway()) return;
  const notification = new Notification(`Permission needed: ${request.toolName}`, {
    body: `${clip(goalLabel, 80)}\n${clip(toolSummary(request.toolName, request.input), 200)}`,
    tag: request.id,
  });
  notification.onclick = () => {
    window.focus();
    setInboxOpen(true);
    notification.close();
  };
}

/** A progress beacon (Settings → "Running goals": notify on progress), when the page is away. */
export function notifyProgress(goalLabel: string, turns: number, lastText: string | null): void {
  if (!notificationsSupported() || Notification.permission !== 'granted' || !pageIsAway()) return;
  const notification = new Notification(`Progress: ${turns} ${turns === 1 ? 'turn' : 'turns'}`, {
    body: `${clip(goalLabel, 80)}${lastText !== null && lastText !== '' ? `\n${clip(lastText, 200)}` : ''}`,
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}

/** A goal done, failed or paused at a cap (its kind switched on in Settings), when the page is away. */
export function notifyGoal(notice: GoalNotice, goalId: string, openGoal: (goalId: string) => void): void {
  if (!notificationsSupported() || Notification.permission !== 'granted' || !pageIsAway()) return;
  if (!loadNotifyPrefs()[notice.kind]) return;
  const notification = new Notification(notice.title, {
    body: clip(notice.body, 280),
    tag: `${goalId}:${notice.kind}`,
  });
  notification.onclick = () => {
    window.focus();
    openGoal(goalId);
    notification.close();
  };
}
