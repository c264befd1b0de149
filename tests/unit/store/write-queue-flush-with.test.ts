// WriteQueue.flushWith: the queued writes and one more write in a single transaction, as a permission
// decision's record uses it; and the permission record store's writes going through it.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/main/store/index.js';
import { WriteQueue, type QueuedWrite } from '../../../src/main/store/write-queue.js';
import type { PermissionRequest } from '../../../src/shared/domain/permission.js';
import { makeGoal, tempStores } from './helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

function queueOverScratch(): { db: Database; queue: WriteQueue; errors: string[]; rows: () => string[] } {
  const db = openDatabase(':memory:');
  cleanups.push(() => db.close());
  db.exec('CREATE TABLE notes (text TEXT NOT NULL)');
  const errors: string[] = [];
  const queue = new WriteQueue(db, 512, (_error, context) => errors.push(context));
  const rows = () =>
    db
      .prepare('SELECT text FROM notes ORDER BY rowid')
      .pluck()
      .all()
      .map((value) => String(value));
  return { db, queue, errors, rows };
}

function note(db: Database, text: string, acknowledged: string[]): QueuedWrite {
  return {
    run: () => void db.prepare('INSERT INTO notes (text) VALUES (?)').run(text),
    afterCommit: () => acknowledged.push(text),
  };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WriteQueue.flushWith', () => {
  it('commits the queued writes, then the given one, and runs their after-commit hooks before returning', () => {
    const { db, queue, rows } = queueOverScratch();
    const acknowledged: string[] = [];
    queue.enqueue(note(db, 'queued 1', acknowledged));
    queue.enqueue(note(db, 'queued 2', acknowledged));
    const result = queue.flushWith(() => {
      // Inside the same transaction as the queued writes.
      expect(db.inTransaction).toBe(true);
      expect(rows()).toEqual(['queued 1', 'queued 2']);
      db.prepare('INSERT INTO notes (text) VALUES (?)').run('given');
      return 42;
    });
    expect(result).toBe(42);
    expect(rows()).toEqual(['queued 1', 'queued 2', 'given']);
    expect(acknowledged).toEqual(['queued 1', 'queued 2']);
    expect(queue.pendingCount).toBe(0);
  });

  it('when the given write fails, rolls everything back, throws, and keeps the queued writes for the next commit', async () => {
    const { db, queue, rows, errors } = queueOverScratch();
    const acknowledged: string[] = [];
    queue.enqueue(note(db, 'queued', acknowledged));
    expect(() =>
      queue.flushWith(() => {
        db.prepare('INSERT INTO notes (text) VALUES (?)').run('given');
        throw new Error('the record could not be written');
      }),
    ).toThrow('the record could not be written');
    expect(rows()).toEqual([]);
    expect(acknowledged).toEqual([]);
    expect(queue.pendingCount).toBe(1);
    await nextTick();
    expect(rows()).toEqual(['queued']);
    expect(acknowledged).toEqual(['queued']);
    expect(errors).toEqual([]);
  });

  it('with nothing queued, runs the write alone', () => {
    const { db, queue, rows } = queueOverScratch();
    queue.flushWith(() => db.prepare('INSERT INTO notes (text) VALUES (?)').run('alone'));
    expect(rows()).toEqual(['alone']);
  });
});

describe('permission records commit the queued events with them', () => {
  /** Stores with a goal, one event of it queued (not yet committed), and the seqs subscribers heard. */
  function goalWithQueuedEvent() {
    const harness = tempStores();
    cleanups.push(() => harness.cleanup());
    const { stores } = harness;
    const goal = makeGoal();
    stores.goals.insert(goal);
    const heard: number[] = [];
    stores.events.subscribe((seq) => heard.push(seq));
    const seq = stores.events.append({ kind: 'driver_warning', goalId: goal.id, message: 'queued before the prompt' });
    return { stores, goal, heard, seq };
  }

  function request(goalId: string): PermissionRequest {
    return {
      id: randomUUID(),
      goalId,
      turnIndex: 1,
      toolName: 'Bash',
      toolUseId: 'toolu_1',
      input: { command: 'echo hi' },
      createdAt: new Date().toISOString(),
    };
  }

  it('insertDecided commits the events queued before it, and they are acknowledged before it returns', () => {
    const { stores, goal, heard, seq } = goalWithQueuedEvent();
    const pending = request(goal.id);
    stores.permissions.insertDecided(
      pending,
      { behavior: 'allow', updatedInput: pending.input },
      { kind: 'rule', ruleId: 'r1' },
      new Date().toISOString(),
    );
    expect(heard).toEqual([seq]);
    expect(stores.permissions.get(pending.id)?.status).toBe('decided');
  });

  it('a record that cannot be written throws and leaves the queued events to commit on their own', async () => {
    const { stores, heard, seq } = goalWithQueuedEvent();
    // No such goal: the foreign key refuses the record.
    const orphan = request('goal-that-does-not-exist');
    expect(() =>
      stores.permissions.insertDecided(
        orphan,
        { behavior: 'allow', updatedInput: orphan.input },
        { kind: 'rule', ruleId: 'r1' },
        new Date().toISOString(),
      ),
    ).toThrow();
    expect(heard).toEqual([]);
    await nextTick();
    expect(heard).toEqual([seq]);
    expect(stores.permissions.get(orphan.id)).toBeNull();
  });
});
