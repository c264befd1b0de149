// Settings → Notifications: whether this browser lets the console notify (and how to allow it when
// it was blocked), and one switch per kind: prompts, goals done, failed, paused at a cap.
import { useState } from 'react';
import { askNotificationPermission, notificationsSupported } from '../../state/notify';
import {
  loadNotifyPrefs,
  NOTIFY_KIND_LABELS,
  NOTIFY_KINDS,
  saveNotifyPrefs,
  type NotifyPrefs,
} from '../../state/notify-kinds';

function PermissionState() {
  const [permission, setPermission] = useState(notificationsSupported() ? Notification.permission : 'unsupported');
  return (
    <>
      <p>
        Desktop notifications: <strong data-testid="notification-permission">{permission}</strong>{' '}
        {permission === 'default' && (
          <button type="button" onClick={() => void askNotificationPermission().then(setPermission)}>
            Enable desktop notifications
          </button>
        )}
      </p>
      {permission === 'denied' && (
        <div className="notifications-denied" data-testid="notifications-denied">
          <p>This browser blocked notifications for the console. To allow them:</p>
          <ol>
            <li>
              Click the icon at the left of the address bar (site information) and set <strong>Notifications</strong> to{' '}
              <strong>Allow</strong> (in Firefox: the permissions icon, then clear the block).
            </li>
            <li>Reload this tab.</li>
          </ol>
          <p className="hint">The browser does not let a page ask again once notifications were blocked.</p>
        </div>
      )}
      {permission === 'unsupported' && (
        <p className="hint">This window cannot show web notifications; the desktop app shows its own.</p>
      )}
    </>
  );
}

export function NotificationSettings() {
  const [prefs, setPrefs] = useState<NotifyPrefs>(loadNotifyPrefs);
  return (
    <div className="notification-settings">
      <PermissionState />
      <fieldset className="radio-group">
        <legend>Notify me when</legend>
        {NOTIFY_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={prefs[kind]}
              onChange={(event) => {
                const next = { ...prefs, [kind]: event.target.checked };
                setPrefs(next);
                saveNotifyPrefs(next);
              }}
            />{' '}
            {NOTIFY_KIND_LABELS[kind]}
          </label>
        ))}
        <span className="hint">Shown only while the console is in the background. Kept in this browser.</span>
      </fieldset>
    </div>
  );
}
