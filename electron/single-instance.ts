// One desktop app per user: a second launch hands over to the first (which shows and focuses its
// window) and quits, instead of failing on the host lock of the data directory.
import type { App } from 'electron';

/** Takes the single-instance lock; false (and the app quits) when another instance holds it. */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  focusExisting: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusExisting());
  return true;
}
