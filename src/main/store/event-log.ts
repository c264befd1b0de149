// The event log: append-only, one row per driver event with a sequence number. Appends are
// buffered and committed in batches (see write-queue.ts) together with their projections; an event
// is acknowledged once its batch committed, which is when subscribers hear of it, in seq order.
// Reads are paged so a goal with 100k events opens fast (index on (goal_id, seq)).
import { z } from 'zod';
import { DriverEventSchema, type DriverEvent } from '../../shared/events.js';
import type { StoreContext } from './context.js';
import { Projector } from './projections.js';
import { jsonText, MaxRowSchema, parseRow, parseRows } from './rows.js';
import type { EventSink } from '../driver/index.js';
import type { BatchParticipant } from './write-queue.js';

/** An event as stored: its sequence number (1, 2, …, host-wide) and when it was appended. */
export interface StoredEvent {
  seq: number;
  at: string;
  event: DriverEvent;
}

export type EventListener = (seq: number, event: DriverEvent, at: string) => void;

export interface GoalEventPage {
  /** Only events with seq > afterSeq (oldest first from there). */
  afterSeq?: number;
  /** Only events with seq < beforeSeq. Without afterSeq the page is the newest events before it. */
  beforeSeq?: number;
  /**
   * Without afterSeq: leave out the newest `skip` events before beforeSeq first, so the page is the one
   * `skip` events further back. A goal's events before a seq never change, so pages asked for from the
   * same beforeSeq with growing skips follow on from each other.
   */
  skip?: number;
  /** Page size (1..10 000). */
  limit: number;
}

const EventRowSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  payload: jsonText(DriverEventSchema),
});

const StoredCountRowSchema = z.object({ events: z.number().int().nonnegative() });

/**
 * The most events one read returns: goal.events's largest page (10,000) plus the one extra event it
 * reads to learn whether more remain in the paging direction.
 */
const MAX_PAGE = 10_001;

function pageSize(limit: number): number {
  if (!Number.isFinite(limit)) return MAX_PAGE;
  return Math.min(MAX_PAGE, Math.max(1, Math.trunc(limit)));
}

function skipCount(skip: number | undefined): number {
  return skip === undefined || !Number.isFinite(skip) ? 0 : Math.max(0, Math.trunc(skip));
}

/** One queued append: a single object per event (no closures) on the hot path. */
class EventWrite {
  constructor(
    private readonly log: EventLog,
    private readonly seq: number,
    private readonly event: DriverEvent,
    /** The JSON stored, taken when the event was appended. */
    private readonly payload: string,
    private readonly at: string,
  ) {}

  run(): void {
    this.log.writeRow(this.seq, this.event, this.payload, this.at);
  }

  afterCommit(): void {
    this.log.acknowledge(this.seq, this.event, this.at);
  }
}

export class EventLog implements EventSink, BatchParticipant {
  private nextSeq: number;
  private acknowledged: number;
  private readonly listeners = new Set<EventListener>();
  private lastAtMs = Number.NaN;
  private lastAt = '';
  private readonly projector: Projector;
  private readonly insert;
  private readonly goalAfter;
  private readonly goalBetween;
  private readonly goalTail;
  private readonly allAfter;
  private readonly storedCount;
  private readonly addToCount;
  private readonly deleteGoalRows;
  private readonly deleteGoalCount;
  /** Per goal: events written in the batch transaction that is running, not yet added to its stored count. */
  private readonly batchCounts = new Map<string, number>();

  constructor(private readonly ctx: StoreContext) {
    const db = ctx.db;
    this.projector = new Projector(db);
    this.insert = db.prepare('INSERT INTO events (seq, goal_id, kind, payload, at) VALUES (?, ?, ?, ?, ?)');
    this.goalAfter = db.prepare(
      'SELECT seq, at, payload FROM events WHERE goal_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?',
    );
    this.goalBetween = db.prepare(
      'SELECT seq, at, payload FROM events WHERE goal_id = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?',
    );
    this.goalTail = db.prepare(
      'SELECT seq, at, payload FROM events WHERE goal_id = ? AND seq < ? ORDER BY seq DESC LIMIT ? OFFSET ?',
    );
    this.allAfter = db.prepare('SELECT seq, at, payload FROM events WHERE seq > ? ORDER BY seq ASC LIMIT ?');
    this.storedCount = db.prepare('SELECT events FROM goal_event_counts WHERE goal_id = ?');
    this.addToCount = db.prepare(
      'INSERT INTO goal_event_counts (goal_id, events) VALUES (?, ?) ON CONFLICT(goal_id) DO UPDATE SET events = events + excluded.events',
    );
    this.deleteGoalRows = db.prepare('DELETE FROM events WHERE goal_id = ?');
    this.deleteGoalCount = db.prepare('DELETE FROM goal_event_counts WHERE goal_id = ?');
    const max = parseRow('events', MaxRowSchema, db.prepare('SELECT max(seq) AS n FROM events').get()).n ?? 0;
    this.nextSeq = max + 1;
    this.acknowledged = max;
    ctx.queue.join(this);
  }

  /**
   * Queues `event` (committed on the next tick or when the batch is full) and returns its seq.
   * The event is not yet durable: it is acknowledged when subscribers are called, or use appendDurable.
   */
  append(event: DriverEvent): number {
    const seq = this.nextSeq;
    this.ctx.queue.enqueue(new EventWrite(this, seq, event, JSON.stringify(event), this.timestamp()));
    this.nextSeq += 1;
    return seq;
  }

  /** isoNow, with the text reused while the clock stays on the same millisecond (a busy turn logs dozens per ms). */
  private timestamp(): string {
    const now = this.ctx.now();
    const ms = now.getTime();
    if (ms !== this.lastAtMs) {
      this.lastAtMs = ms;
      this.lastAt = now.toISOString();
    }
    return this.lastAt;
  }

  /** For EventWrite only: inside the batch transaction, the row and its projections. */
  writeRow(seq: number, event: DriverEvent, payload: string, at: string): void {
    this.insert.run(seq, event.goalId, event.kind, payload, at);
    this.batchCounts.set(event.goalId, (this.batchCounts.get(event.goalId) ?? 0) + 1);
    try {
      this.projector.apply(event, at);
    } catch (error) {
      // SQLite rolled the whole transaction back (disk full, I/O): fail the batch so it is retried.
      if (!this.ctx.db.inTransaction) throw error;
      this.ctx.report(error, `projecting event ${seq} (${event.kind})`);
    }
  }

  /** Appends and commits now (with everything queued before it); returns the seq once it is on disk. */
  appendDurable(event: DriverEvent): number {
    const seq = this.append(event);
    this.ctx.queue.flush();
    return seq;
  }

  /** EventSink for the driver: never throws (a failure is reported). */
  publish(event: DriverEvent): void {
    try {
      this.append(event);
    } catch (error) {
      this.ctx.report(error, `appending ${event.kind} event`);
    }
  }

  /** Commits every queued write now. Throws if the commit fails (the writes stay queued for a retry). */
  flush(): void {
    this.ctx.queue.flush();
  }

  /** Highest seq whose batch has committed (0 when the log is empty). */
  get acknowledgedSeq(): number {
    return this.acknowledged;
  }

  /** Called after each commit for every event in it, in seq order. Returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Highest committed seq (queued events are committed first); 0 when the log is empty. */
  latestSeq(): number {
    this.ctx.queue.flushQuietly();
    return this.acknowledged;
  }

  /**
   * A page of one goal's events, oldest first. With afterSeq: the first `limit` events after it
   * (and before beforeSeq if given). Without afterSeq: the newest `limit` events before beforeSeq
   * (or the newest overall), which is what a timeline opening at its end wants.
   */
  eventsForGoal(goalId: string, page: GoalEventPage): StoredEvent[] {
    this.ctx.queue.flushQuietly();
    const limit = pageSize(page.limit);
    const before = page.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    let rows: unknown[];
    if (page.afterSeq !== undefined) {
      rows =
        page.beforeSeq === undefined
          ? this.goalAfter.all(goalId, page.afterSeq, limit)
          : this.goalBetween.all(goalId, page.afterSeq, before, limit);
    } else {
      rows = this.goalTail.all(goalId, before, limit, skipCount(page.skip)).reverse();
    }
    return this.toStored(rows);
  }

  /** Every goal's events with seq > `seq`, oldest first, at most `limit` (for a reconnecting client). */
  eventsSince(seq: number, limit: number): StoredEvent[] {
    this.ctx.queue.flushQuietly();
    return this.toStored(this.allAfter.all(seq, pageSize(limit)));
  }

  /**
   * How many events one goal has: its stored count (goal_event_counts), which this log keeps in the
   * same transaction as the events it writes, so a long goal's events are never counted again.
   */
  countForGoal(goalId: string): number {
    this.ctx.queue.flushQuietly();
    const row = this.storedCount.get(goalId);
    return row === undefined ? 0 : parseRow('goal_event_counts', StoredCountRowSchema, row).events;
  }

  /** For the write queue: inside the batch transaction, adds the batch's events to each goal's stored count. */
  beforeCommit(): void {
    for (const [goalId, added] of this.batchCounts) this.addToCount.run(goalId, added);
    this.batchCounts.clear();
  }

  /** For the write queue: the batch rolled back (it runs again later), so its events were not written. */
  rolledBack(): void {
    this.batchCounts.clear();
  }

  /**
   * Deletes every event of one goal and its count (deleting the goal); returns how many were
   * deleted. Run inside the caller's transaction, after the queued writes were flushed.
   */
  deleteGoalEvents(goalId: string): number {
    this.deleteGoalCount.run(goalId);
    return this.deleteGoalRows.run(goalId).changes;
  }

  private toStored(rows: unknown[]): StoredEvent[] {
    return parseRows('events', EventRowSchema, rows, this.ctx.report).map((row) => ({
      seq: row.seq,
      at: row.at,
      event: row.payload,
    }));
  }

  /** For EventWrite only: after the batch committed, subscribers hear of the event. */
  acknowledge(seq: number, event: DriverEvent, at: string): void {
    if (seq > this.acknowledged) this.acknowledged = seq;
    for (const listener of this.listeners) {
      try {
        listener(seq, event, at);
      } catch (error) {
        this.ctx.report(error, `event listener for seq ${seq}`);
      }
    }
  }
}
