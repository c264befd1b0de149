import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/host/event-hub.js';
import type { DriverEvent } from '../../../src/shared/events.js';
let logSeq = 0;
const logged = (event: DriverEvent) => ({ logSeq: logSeq++, at: new Date().toISOString(), event });

const beat = (n: number) => ({ at: new Date(n).toISOString(), uptimeMs: n });

describe('EventHub', () => {
  it('numbers events in order and delivers them to every subscriber', () => {
    const hub = new EventHub();
    const seen: number[] = [];
    const unsubscribe = hub.subscribe((event) => seen.push(event.seq));
    hub.publish('host.heartbeat', beat(1));
    hub.publish('goal.event', logged({ kind: 'goal_paused', goalId: '4c5e2c1e-8a0f-4e7e-9d55-7f7c3f0c6a11' }));
    unsubscribe();
    hub.publish('host.heartbeat', beat(2));
    expect(seen).toEqual([0, 1]);
    expect(hub.latestSeq).toBe(2);
  });

  it('refuses to publish an event that breaks the contract', () => {
    const hub = new EventHub();
    expect(() =>
      hub.publish(
        'goal.event',
        JSON.parse('{"logSeq":0,"at":"x","event":{"kind":"goal_paused","goalId":"not-a-uuid"}}'),
      ),
    ).toThrow();
    expect(hub.latestSeq).toBe(-1);
  });

  it('replays what a reconnecting client missed, without heartbeats, and reports a gap past the window', () => {
    const hub = new EventHub(3);
    const goalId = '4c5e2c1e-8a0f-4e7e-9d55-7f7c3f0c6a11';
    for (let i = 0; i < 5; i += 1) {
      hub.publish('goal.event', logged({ kind: 'goal_paused', goalId }));
      hub.publish('host.heartbeat', beat(i));
    }
    // seqs 0,2,4,6,8 are goal events; the window keeps the last 3 (4,6,8).
    expect(hub.since(3)).toEqual({ gap: false, events: expect.any(Array) });
    expect(hub.since(3).events.map((e) => e.seq)).toEqual([4, 6, 8]);
    expect(hub.since(1).gap).toBe(true);
    expect(hub.since(8).events).toEqual([]);
  });
});
