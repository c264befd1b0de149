// The inbox count on the dock (macOS) or launcher (Linux) badge and in the tray's tooltip: how many
// permission prompts wait for the operator. Refreshed on the events that change it.
import type { HostEvent } from '../src/shared/contract.js';

export interface BadgeTargets {
  /** app.setBadgeCount: the dock badge on macOS, the launcher count on Linux (Unity); false where unsupported. */
  setBadgeCount(count: number): boolean;
  /** The tray icon, where there is one. */
  tray: { setToolTip(text: string): void } | null;
}

/** The tray's tooltip for `count` waiting prompts. */
export function inboxTooltip(count: number): string {
  if (count === 0) return 'Overseer';
  return `Overseer — ${count} permission ${count === 1 ? 'prompt waits' : 'prompts wait'} for you`;
}

/** Whether `event` can change the number of waiting prompts. */
export function changesInbox(event: HostEvent): boolean {
  if (event.channel !== 'goal.event') return false;
  const kind = event.payload.event.kind;
  return kind === 'permission_requested' || kind === 'permission_decided' || kind === 'goal_completed';
}

export class InboxBadge {
  private shown: number | null = null;

  constructor(
    private readonly targets: BadgeTargets,
    private readonly pendingCount: () => number,
  ) {}

  /** Shows the current count (nothing is redrawn when it did not change). */
  refresh(): void {
    const count = this.pendingCount();
    if (count === this.shown) return;
    this.shown = count;
    this.targets.setBadgeCount(count);
    this.targets.tray?.setToolTip(inboxTooltip(count));
  }
}
