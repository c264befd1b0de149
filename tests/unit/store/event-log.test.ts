import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../../src/shared/events.js';
import { openStores } from '../../../src/main/store/index.js';
import { makeGoal, tempStores } from './helpers.js';

type Harness = ReturnType<typeof tempStores>;
let harness: Harness | null = null;
afterEach(() => {
  harness?.cleanup();
  harness = null;
});
function setup(options: Parameters<typeof tempStores>[0] = {}): Harness {
  harness = tempStores(options);
  return harness;
}

function warning(goalId: string, message: string): DriverEvent {
  return { kind: 'driver_warning', goalId, message };
}

function rawGoalCount(h: Harness, goalId: string): unknown {
  return h.stores.db.prepare('SELECT count(*) AS n FROM events WHERE goal_id = ?').pluck().get(goalId);
}

function rawEventCount(h: Harness): unknown {
  return h.stores.db.prepare('SELECT count(*) AS n FROM events').get();
}

describe('event log', () => {
  it('numbers events from 1, commits them on the next tick and acknowledges them in seq order', async () => {
    const h = setup();
    const log = h.stores.events;
    const goal = makeGoal();
    const heard: number[] = [];
    log.subscribe((seq) => heard.push(seq));

    const seqs = [
      log.append({ kind: 'goal_started', goalId: goal.id, goal }),
      log.append(warning(goal.id, 'a')),
      log.append(warning(goal.id, 'b')),
    ];
    expect(seqs).toEqual([1, 2, 3]);
    // Nothing committed or acknowledged yet: the batch waits for the next tick.
    expect(rawEventCount(h)).toEqual({ n: 0 });
    expect(heard).toEqual([]);
    expect(log.acknowledgedSeq).toBe(0);

    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(rawEventCount(h)).toEqual({ n: 3 });
    expect(heard).toEqual([1, 2, 3]);
    expect(log.acknowledgedSeq).toBe(3);
  });

  it('appendDurable returns only after the event (and everything before it) is committed', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    const seq = h.stores.events.appendDurable(warning(goal.id, 'now'));
    expect(seq).toBe(2);
    expect(rawEventCount(h)).toEqual({ n: 2 });
    expect(h.stores.events.acknowledgedSeq).toBe(2);
  });

  it('flushes synchronously when the batch is full', () => {
    const h = setup({ maxBatch: 10 });
    const goalId = randomUUID();
    for (let i = 0; i < 9; i += 1) h.stores.events.append(warning(goalId, `w${i}`));
    expect(rawEventCount(h)).toEqual({ n: 0 });
    h.stores.events.append(warning(goalId, 'w9'));
    expect(rawEventCount(h)).toEqual({ n: 10 });
  });

  it('keeps seq order for listeners even when a listener appends and flushes', () => {
    const h = setup();
    const goalId = randomUUID();
    const heard: string[] = [];
    h.stores.events.subscribe((seq, event) => {
      heard.push(`${seq}:${event.kind === 'driver_warning' ? event.message : event.kind}`);
      if (event.kind === 'driver_warning' && event.message === 'first') {
        h.stores.events.appendDurable(warning(goalId, 'from listener'));
      }
    });
    h.stores.events.append(warning(goalId, 'first'));
    h.stores.events.append(warning(goalId, 'second'));
    h.stores.events.flush();
    expect(heard).toEqual(['1:first', '2:second', '3:from listener']);
  });

  it('reads see queued events (reads flush first) and parse them back', () => {
    const h = setup();
    const goal = makeGoal();
    h.stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
    const page = h.stores.events.eventsForGoal(goal.id, { limit: 10 });
    expect(page).toHaveLength(1);
    expect(page[0]?.seq).toBe(1);
    expect(page[0]?.event).toEqual({ kind: 'goal_started', goalId: goal.id, goal });
    expect(typeof page[0]?.at).toBe('string');
    expect(h.stores.events.latestSeq()).toBe(1);
  });

  it('unsubscribe stops delivery; a throwing listener does not stop others', () => {
    const h = setup();
    const goalId = randomUUID();
    const heard: number[] = [];
    const off = h.stores.events.subscribe(() => {
      throw new Error('listener broke');
    });
    h.stores.events.subscribe((seq) => heard.push(seq));
    h.stores.events.appendDurable(warning(goalId, 'x'));
    off();
    h.stores.events.appendDurable(warning(goalId, 'y'));
    expect(heard).toEqual([1, 2]);
    expect(h.errors.filter((e) => e.context.includes('listener'))).toHaveLength(1);
  });

  it('continues the sequence after a reopen', () => {
    const h = setup();
    const goalId = randomUUID();
    h.stores.events.append(warning(goalId, 'a'));
    h.stores.events.append(warning(goalId, 'b'));
    h.stores.close();
    const again = openStores(h.dbPath);
    try {
      expect(again.events.latestSeq()).toBe(2);
      expect(again.events.append(warning(goalId, 'c'))).toBe(3);
      expect(again.events.eventsSince(0, 10).map((e) => e.seq)).toEqual([1, 2, 3]);
    } finally {
      again.close();
    }
  });

  it('publish never throws, even after close; the failure is reported', () => {
    const h = setup();
    h.stores.close();
    expect(() => h.stores.events.publish(warning(randomUUID(), 'late'))).not.toThrow();
    expect(h.errors.some((e) => e.context.includes('appending driver_warning'))).toBe(true);
  });

  it('a batch that fails to commit is rolled back whole, not acknowledged, and retried in order', () => {
    const h = setup();
    const goal = makeGoal();
    const heard: number[] = [];
    h.stores.events.subscribe((seq) => heard.push(seq));
    h.stores.events.appendDurable({ kind: 'goal_started', goalId: goal.id, goal });
    // Another writer took seq 3 behind the log's back: the batch holding 2 and 3 cannot commit.
    h.stores.db
      .prepare("INSERT INTO events (seq, goal_id, kind, payload, at) VALUES (3, ?, 'driver_warning', '{}', 'x')")
      .run(goal.id);
    h.stores.events.append(warning(goal.id, 'two'));
    h.stores.events.append(warning(goal.id, 'three'));
    expect(() => h.stores.events.flush()).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(heard).toEqual([1]);
    expect(h.stores.events.acknowledgedSeq).toBe(1);
    expect(h.stores.db.prepare('SELECT count(*) AS n FROM events WHERE seq = 2').get()).toEqual({ n: 0 });
    // Reads report the failed flush instead of throwing, and show the committed state.
    expect(h.stores.events.eventsForGoal(goal.id, { afterSeq: 0, limit: 10 }).map((e) => e.seq)).toEqual([1]);
    expect(h.errors.some((e) => e.context === 'flushing queued writes')).toBe(true);

    h.stores.db.prepare('DELETE FROM events WHERE seq = 3').run();
    h.stores.events.flush();
    expect(heard).toEqual([1, 2, 3]);
    expect(h.stores.events.eventsForGoal(goal.id, { afterSeq: 0, limit: 10 }).map((e) => e.event)).toEqual([
      { kind: 'goal_started', goalId: goal.id, goal },
      warning(goal.id, 'two'),
      warning(goal.id, 'three'),
    ]);
  });

  it('works on an in-memory database', () => {
    const stores = openStores(':memory:', { onError: () => {} });
    try {
      const goal = makeGoal({ description: 'memory only goal' });
      stores.events.append({ kind: 'goal_started', goalId: goal.id, goal });
      expect(stores.goals.get(goal.id)?.status).toBe('running');
      expect(stores.search('memory', 5).goals).toHaveLength(1);
    } finally {
      stores.close();
    }
  });

  it('skips and reports a corrupt row instead of failing the page', () => {
    const h = setup();
    const goalId = randomUUID();
    h.stores.events.appendDurable(warning(goalId, 'good'));
    h.stores.db
      .prepare("INSERT INTO events (seq, goal_id, kind, payload, at) VALUES (2, ?, 'driver_warning', '{nope', 'x')")
      .run(goalId);
    h.stores.db
      .prepare("INSERT INTO events (seq, goal_id, kind, payload, at) VALUES (3, ?, 'driver_warning', ?, 'x')")
      .run(goalId, JSON.stringify({ kind: 'driver_warning', goalId }));
    const page = h.stores.events.eventsForGoal(goalId, { afterSeq: 0, limit: 10 });
    expect(page.map((e) => e.seq)).toEqual([1]);
    expect(h.errors.filter((e) => e.context === 'reading events')).toHaveLength(2);
  });

  it('keeps each goal count current as events are logged, and forgets a deleted goal', () => {
    const h = setup();
    const log = h.stores.events;
    const goal = makeGoal();
    const other = makeGoal();
    h.stores.goals.insert(goal);
    h.stores.goals.insert(other);
    expect(log.countForGoal(goal.id)).toBe(0);
    log.append(warning(goal.id, 'a'));
    log.append(warning(other.id, 'x'));
    log.append(warning(goal.id, 'b'));
    expect(log.countForGoal(goal.id)).toBe(2);
    expect(log.countForGoal(other.id)).toBe(1);
    log.append(warning(goal.id, 'c'));
    log.append(warning(other.id, 'y'));
    expect(log.countForGoal(goal.id)).toBe(3);
    expect(log.countForGoal(goal.id)).toBe(3);
    expect(log.countForGoal(other.id)).toBe(2);
    // The same figure as counting from scratch (a fresh log over the same database).
    expect(rawGoalCount(h, goal.id)).toBe(3);

    expect(h.stores.goals.delete(goal.id)).toBe(true);
    expect(log.countForGoal(goal.id)).toBe(0);
    expect(log.countForGoal(other.id)).toBe(2);
  });

  it('pages 100k events of one goal correctly in both directions (among other goals)', () => {
    const h = setup({ maxBatch: 2000 });
    const big = randomUUID();
    const other = randomUUID();
    const log = h.stores.events;
    const bigSeqs: number[] = [];
    for (let i = 0; i < 100_000; i += 1) {
      bigSeqs.push(log.append(warning(big, `m${i}`)));
      if (i % 10 === 0) log.append(warning(other, `o${i}`));
    }
    log.flush();
    expect(log.countForGoal(big)).toBe(100_000);
    expect(log.countForGoal(other)).toBe(10_000);

    // Opening at the end: the newest page, oldest first.
    const tail = log.eventsForGoal(big, { limit: 500 });
    expect(tail.map((e) => e.seq)).toEqual(bigSeqs.slice(-500));
    expect(tail.at(-1)?.event).toEqual(warning(big, 'm99999'));

    // Scrolling back from the oldest shown.
    const before = log.eventsForGoal(big, { beforeSeq: tail[0]?.seq ?? 0, limit: 500 });
    expect(before.map((e) => e.seq)).toEqual(bigSeqs.slice(-1000, -500));
    // Further back from the same anchor: skip leaves out the newest events before it first.
    const anchor = tail[0]?.seq ?? 0;
    const skipped = log.eventsForGoal(big, { beforeSeq: anchor, skip: 500, limit: 500 });
    expect(skipped.map((e) => e.seq)).toEqual(bigSeqs.slice(-1500, -1000));
    expect(log.eventsForGoal(big, { beforeSeq: anchor, skip: 99_400, limit: 500 }).map((e) => e.seq)).toEqual(
      bigSeqs.slice(0, 100),
    );
    expect(log.eventsForGoal(big, { beforeSeq: anchor, skip: 99_500, limit: 500 })).toEqual([]);

    // Forward paging from the start covers everything exactly once.
    let after = 0;
    let seen = 0;
    let last = 0;
    for (;;) {
      const page = log.eventsForGoal(big, { afterSeq: after, limit: 10_000 });
      if (page.length === 0) break;
      for (const stored of page) {
        expect(stored.seq).toBeGreaterThan(last);
        last = stored.seq;
      }
      seen += page.length;
      after = page.at(-1)?.seq ?? after;
    }
    expect(seen).toBe(100_000);

    // A window between two seqs.
    const window = log.eventsForGoal(big, { afterSeq: bigSeqs[10], beforeSeq: bigSeqs[20], limit: 100 });
    expect(window.map((e) => e.seq)).toEqual(bigSeqs.slice(11, 20));

    // Resume from a seq across goals.
    const latest = log.latestSeq();
    expect(latest).toBe(110_000);
    const since = log.eventsSince(latest - 5, 100);
    expect(since.map((e) => e.seq)).toEqual([latest - 4, latest - 3, latest - 2, latest - 1, latest]);

    // The goal page query uses the (goal_id, seq) index, not a scan.
    const plan = JSON.stringify(
      h.stores.db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT seq, at, payload FROM events WHERE goal_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
        )
        .all(big, 1e9, 10),
    );
    expect(plan).toContain('events_by_goal');
  });
});
