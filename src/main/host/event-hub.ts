// The event hub: gives every published event a host-wide sequence number, validates it against
// the contract, fans it out to subscribers (transports), and keeps a window of recent events so a
// client that reconnects can ask for what it missed. Heartbeats are delivered but not kept.
import { randomUUID } from 'node:crypto';
import { events, type EventChannel, type EventPayload, type HostEvent } from '../../shared/contract.js';

export type HostEventListener = (event: HostEvent) => void;

export interface ReplayResult {
  events: HostEvent[];
  /** true when events after `afterSeq` fell out of the window: the client must reload its state. */
  gap: boolean;
}

export class EventHub {
  /** Changes every launch: a client seeing a new id knows its sequence numbers mean nothing here. */
  readonly hostId = randomUUID();
  private seq = -1;
  /** Highest seq that fell out of the window (-1: nothing evicted yet). */
  private evictedThrough = -1;
  private readonly window: HostEvent[] = [];
  private readonly listeners = new Set<HostEventListener>();

  constructor(private readonly windowSize = 50_000) {}

  get latestSeq(): number {
    return this.seq;
  }

  publish<C extends EventChannel>(channel: C, payload: EventPayload<C>): HostEvent {
    const checked = events[channel].parse(payload);
    this.seq += 1;
    const event = { seq: this.seq, channel, payload: checked } as HostEvent;
    if (channel !== 'host.heartbeat') {
      this.window.push(event);
      if (this.window.length > this.windowSize) {
        const evicted = this.window.splice(0, this.window.length - this.windowSize);
        this.evictedThrough = evicted[evicted.length - 1]?.seq ?? this.evictedThrough;
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing transport must not stop delivery to the others.
      }
    }
    return event;
  }

  subscribe(listener: HostEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kept events with seq > afterSeq, oldest first. */
  since(afterSeq: number): ReplayResult {
    const gap = afterSeq < this.evictedThrough;
    return { events: this.window.filter((event) => event.seq > afterSeq), gap };
  }
}
