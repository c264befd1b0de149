// The dock/launcher badge and tray tooltip follow the number of prompts waiting in the inbox.
import { describe, expect, it } from 'vitest';
import { changesInbox, InboxBadge, inboxTooltip } from '../../../electron/inbox-badge.js';
import type { HostEvent } from '../../../src/shared/contract.js';

const goalEvent = (event: unknown): HostEvent =>
  ({ seq: 1, channel: 'goal.event', payload: { logSeq: 1, at: '', event } }) as HostEvent;

describe('inbox badge', () => {
  it('shows the count on the badge and in the tooltip, redrawing only on a change', () => {
    let pending = 0;
    const counts: number[] = [];
    const tooltips: string[] = [];
    const badge = new InboxBadge(
      { setBadgeCount: (n) => (counts.push(n), true), tray: { setToolTip: (t) => tooltips.push(t) } },
      () => pending,
    );
    badge.refresh();
    pending = 2;
    badge.refresh();
    badge.refresh();
    pending = 1;
    badge.refresh();
    expect(counts).toEqual([0, 2, 1]);
    expect(tooltips).toEqual([
      'Overseer',
      'Overseer — 2 permission prompts wait for you',
      'Overseer — 1 permission prompt waits for you',
    ]);
    expect(inboxTooltip(0)).toBe('Overseer');
  });

  it('works without a tray (macOS: the dock badge alone)', () => {
    const counts: number[] = [];
    new InboxBadge({ setBadgeCount: (n) => (counts.push(n), true), tray: null }, () => 3).refresh();
    expect(counts).toEqual([3]);
  });

  it('refreshes on prompts asked, decided, and goals ending (their prompts are closed)', () => {
    expect(changesInbox(goalEvent({ kind: 'permission_requested' }))).toBe(true);
    expect(changesInbox(goalEvent({ kind: 'permission_decided' }))).toBe(true);
    expect(changesInbox(goalEvent({ kind: 'goal_completed' }))).toBe(true);
    expect(changesInbox(goalEvent({ kind: 'turn_output' }))).toBe(false);
    expect(changesInbox({ seq: 2, channel: 'host.heartbeat', payload: { at: '', uptimeMs: 1 } } as HostEvent)).toBe(
      false,
    );
  });
});
