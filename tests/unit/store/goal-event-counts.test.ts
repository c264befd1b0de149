// The stored per-goal event count (goal_event_counts): filled from the events already stored when an
// older database is upgraded, kept by the event log in the same transaction as the events it
// writes (a rolled-back batch is not counted twice when it runs again), and dropped with the goal.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../../src/shared/events.js';
import type { PermissionRequest } from '../../../src/shared/domain/permission.js';
import { MIGRATIONS, openDatabase, openStores, type Stores } from '../../../src/main/store/index.js';
import { makeGoal, tempDir, tempStores, type TempDir } from './helpers.js';

function warning(goalId: string, message: string): DriverEvent {
  return { kind: 'driver_warning', goalId, message };
}

function rawCount(stores: Stores, goalId: string): unknown {
  return stores.db.prepare('SELECT count(*) FROM events WHERE goal_id = ?').pluck().get(goalId);
}

function storedCountRow(stores: Stores, goalId: string): unknown {
  return stores.db.prepare('SELECT events FROM goal_event_counts WHERE goal_id = ?').pluck().get(goalId);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function fresh(options: Parameters<typeof tempStores>[0] = {}) {
  const harness = tempStores(options);
  cleanups.push(() => harness.cleanup());
  return harness;
}

describe('stored per-goal event counts', () => {
  it('are back-filled when a database that already holds events is upgraded', () => {
    const dir: TempDir = tempDir();
    cleanups.push(() => dir.remove());
    const path = join(dir.path, 'old.db');
    const before = openDatabase(path, { migrations: MIGRATIONS.slice(0, 5) });
    const insert = before.prepare(
      "INSERT INTO events (seq, goal_id, kind, payload, at) VALUES (?, ?, 'driver_warning', ?, '2026-01-01T00:00:00.000Z')",
    );
    const big = makeGoal();
    const small = makeGoal();
    let seq = 0;
    for (let i = 0; i < 1200; i += 1) {
      seq += 1;
      insert.run(seq, big.id, JSON.stringify(warning(big.id, `b${i}`)));
      if (i % 100 === 0) {
        seq += 1;
        insert.run(seq, small.id, JSON.stringify(warning(small.id, `s${i}`)));
      }
    }
    before.close();

    const stores = openStores(path);
    try {
      expect(stores.events.countForGoal(big.id)).toBe(1200);
      expect(stores.events.countForGoal(small.id)).toBe(12);
      expect(stores.events.countForGoal(makeGoal().id)).toBe(0);
      // Kept from there by the log.
      stores.events.append(warning(big.id, 'after the upgrade'));
      expect(stores.events.countForGoal(big.id)).toBe(1201);
      expect(rawCount(stores, big.id)).toBe(1201);
    } finally {
      stores.close();
    }
  });

  it('match counting the rows after many batches of several goals, and across a reopen', () => {
    const harness = fresh({ maxBatch: 7 });
    const goals = [makeGoal(), makeGoal(), makeGoal()];
    for (let i = 0; i < 500; i += 1) {
      const goal = goals[i % 3 === 0 ? 0 : i % 5 === 0 ? 1 : 2];
      if (goal !== undefined) harness.stores.events.append(warning(goal.id, `m${i}`));
    }
    harness.stores.events.flush();
    for (const goal of goals)
      expect(harness.stores.events.countForGoal(goal.id)).toBe(rawCount(harness.stores, goal.id));
    harness.stores.close();
    const again = openStores(harness.dbPath);
    try {
      for (const goal of goals) expect(again.events.countForGoal(goal.id)).toBe(rawCount(again, goal.id));
    } finally {
      again.close();
    }
    // cleanup() closes the first stores again: a no-op.
  });

  it('count a batch that failed and ran again once', () => {
    const harness = fresh();
    const { stores } = harness;
    const goal = makeGoal();
    stores.events.appendDurable(warning(goal.id, 'first'));
    // A database that refuses one insert for a while (as a full disk would): the whole batch rolls back.
    stores.db.exec(`
      CREATE TABLE refuse_inserts (flag INTEGER);
      INSERT INTO refuse_inserts VALUES (1);
      CREATE TRIGGER refuse_boom BEFORE INSERT ON events
        WHEN NEW.payload LIKE '%boom%' AND (SELECT count(*) FROM refuse_inserts) > 0
        BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;`);
    stores.events.append(warning(goal.id, 'fine'));
    stores.events.append(warning(goal.id, 'boom'));
    expect(() => stores.events.flush()).toThrow('disk trouble');
    expect(stores.events.countForGoal(goal.id)).toBe(1);
    stores.db.exec('DELETE FROM refuse_inserts');
    stores.events.flush();
    expect(rawCount(stores, goal.id)).toBe(3);
    expect(stores.events.countForGoal(goal.id)).toBe(3);
  });

  it('count the events a permission record commits with it (one transaction), and once when it failed', () => {
    const { stores } = fresh();
    const goal = makeGoal();
    stores.goals.insert(goal);
    const request = (id: string): PermissionRequest => ({
      id,
      goalId: goal.id,
      turnIndex: 1,
      toolName: 'Bash',
      toolUseId: `toolu_${id}`,
      input: { command: 'ls' },
      createdAt: new Date().toISOString(),
    });
    // Claude's stream lines are queued just before the prompt; the record commits them with itself.
    stores.events.append(warning(goal.id, 'streamed 1'));
    stores.events.append(warning(goal.id, 'streamed 2'));
    stores.permissions.insertPending(request('r1'));
    expect(rawCount(stores, goal.id)).toBe(2);
    expect(storedCountRow(stores, goal.id)).toBe(2);

    // A record whose transaction fails rolls the queued events back; they commit (counted once) later.
    stores.db.exec(`CREATE TRIGGER refuse_r2 BEFORE INSERT ON permission_requests WHEN NEW.id = 'r2'
      BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;`);
    stores.events.append(warning(goal.id, 'streamed 3'));
    expect(() => stores.permissions.insertPending(request('r2'))).toThrow('disk trouble');
    expect(storedCountRow(stores, goal.id)).toBe(2);
    stores.events.flush();
    expect(rawCount(stores, goal.id)).toBe(3);
    expect(storedCountRow(stores, goal.id)).toBe(3);
  });

  it('are deleted with the goal, leaving other goals counted', () => {
    const { stores } = fresh();
    const goal = makeGoal();
    const other = makeGoal();
    stores.goals.insert(goal);
    stores.goals.insert(other);
    stores.events.append(warning(goal.id, 'a'));
    stores.events.append(warning(other.id, 'b'));
    stores.events.append(warning(goal.id, 'c'));
    expect(stores.events.countForGoal(goal.id)).toBe(2);
    expect(stores.goals.delete(goal.id)).toBe(true);
    expect(storedCountRow(stores, goal.id)).toBeUndefined();
    expect(rawCount(stores, goal.id)).toBe(0);
    expect(stores.events.countForGoal(goal.id)).toBe(0);
    expect(stores.events.countForGoal(other.id)).toBe(1);
    // A goal's events logged again after it was deleted (a late event) count from zero.
    stores.events.append(warning(goal.id, 'late'));
    expect(stores.events.countForGoal(goal.id)).toBe(1);
  });
});
