// The WAL checkpointer: the host's connection never checkpoints inside a commit, a worker thread does,
// and when the worker cannot run SQLite's own automatic checkpoints come back.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, openStores, type Database } from '../../../src/main/store/index.js';
import {
  SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES,
  WalCheckpointer,
  type CheckpointResult,
} from '../../../src/main/store/wal-checkpointer.js';
import { tempDir, type TempDir } from './helpers.js';

const PAGE_BYTES = 4096;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

function scratch(): TempDir {
  const dir = tempDir('overseer-wal-');
  cleanups.push(() => dir.remove());
  return dir;
}

/** A database file with a table to fill, closed after the test. */
function database(dir: TempDir): { db: Database; path: string } {
  const path = join(dir.path, 'overseer.db');
  const db = openDatabase(path);
  db.exec('CREATE TABLE filler (body BLOB NOT NULL)');
  cleanups.push(() => db.close());
  return { db, path };
}

/** `commits` separate commits of about ten pages each. */
function fill(db: Database, commits: number): void {
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  for (let i = 0; i < commits; i++) insert.run(Buffer.alloc(10 * PAGE_BYTES, i % 251));
}

function walPages(path: string): number {
  return statSync(`${path}-wal`).size / PAGE_BYTES;
}

function autocheckpoint(db: Database): unknown {
  return db.pragma('wal_autocheckpoint', { simple: true });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WalCheckpointer', () => {
  it('turns automatic checkpoints off, so commits grow the WAL past SQLite’s 1000 pages', () => {
    const dir = scratch();
    const inline = database(dir);
    fill(inline.db, 300);
    // SQLite's default: a commit checkpoints once the WAL is past 1000 pages, and the WAL starts over.
    expect(walPages(inline.path)).toBeLessThan(1500);

    const other = tempDir('overseer-wal-');
    cleanups.push(() => other.remove());
    const background = database(other);
    const checkpointer = new WalCheckpointer(background.db, {
      path: background.path,
      report: (error) => {
        throw error;
      },
      intervalMs: 3_600_000,
    });
    cleanups.push(() => checkpointer.stop());
    expect(autocheckpoint(background.db)).toBe(0);
    fill(background.db, 300);
    expect(walPages(background.path)).toBeGreaterThan(3000);
  });

  it('checkpoints in a worker after writes, and the next writes start the WAL over', async () => {
    const dir = scratch();
    const { db, path } = database(dir);
    const results: CheckpointResult[] = [];
    const errors: unknown[] = [];
    const checkpointer = new WalCheckpointer(db, {
      path,
      report: (error) => errors.push(error),
      intervalMs: 20,
      onCheckpoint: (result) => results.push(result),
    });
    cleanups.push(() => checkpointer.stop());
    fill(db, 150);
    await until(() => results.some((result) => result.log > 0 && result.checkpointed === result.log), 'a checkpoint');
    expect(errors).toEqual([]);
    expect(checkpointer.inBackground).toBe(true);
    const walBefore = walPages(path);
    // Everything was copied to the database file: the next commits reuse the WAL from its start.
    fill(db, 150);
    expect(walPages(path)).toBeLessThanOrEqual(walBefore);
    expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(300);
  });

  it('does nothing while the connection does not write', async () => {
    const dir = scratch();
    const { db, path } = database(dir);
    let checkpoints = 0;
    const checkpointer = new WalCheckpointer(db, {
      path,
      report: (error) => {
        throw error;
      },
      intervalMs: 10,
      onCheckpoint: () => checkpoints++,
    });
    cleanups.push(() => checkpointer.stop());
    fill(db, 1);
    await until(() => checkpoints === 1, 'the first checkpoint');
    // Reads do not count as writes; wait for several more polls.
    for (let i = 0; i < 10; i++) {
      db.prepare('SELECT count(*) FROM filler').get();
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(checkpoints).toBe(1);
  });

  it('gives checkpoints back to SQLite, and reports why, when the worker cannot start', async () => {
    const dir = scratch();
    const { db, path } = database(dir);
    const errors: { error: unknown; context: string }[] = [];
    const checkpointer = new WalCheckpointer(db, {
      path,
      report: (error, context) => errors.push({ error, context }),
      intervalMs: 10,
      modulePath: join(dir.path, 'no-such-module.js'),
    });
    cleanups.push(() => checkpointer.stop());
    expect(autocheckpoint(db)).toBe(0);
    fill(db, 1);
    await until(() => errors.length > 0, 'the worker failure');
    expect(errors[0]?.context).toMatch(/checkpoint worker failed/);
    expect(checkpointer.inBackground).toBe(false);
    expect(autocheckpoint(db)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES);
    // Back on SQLite's own checkpoints: the WAL stays bounded.
    fill(db, 300);
    expect(walPages(path)).toBeLessThan(1500);
  });
});

describe('openStores and WAL checkpoints', () => {
  it('checkpoints a database file in the background by default, inline when asked', () => {
    const dir = scratch();
    const background = openStores(join(dir.path, 'a.db'));
    cleanups.push(() => background.close());
    expect(autocheckpoint(background.db)).toBe(0);
    const inline = openStores(join(dir.path, 'b.db'), { walCheckpoints: 'inline' });
    cleanups.push(() => inline.close());
    expect(autocheckpoint(inline.db)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES);
  });

  it('keeps synchronous=NORMAL: a commit is in the WAL when it returns', () => {
    const dir = scratch();
    const stores = openStores(join(dir.path, 'a.db'));
    cleanups.push(() => stores.close());
    expect(stores.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(stores.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('starts no checkpointer for an in-memory database', () => {
    const stores = openStores(':memory:');
    cleanups.push(() => stores.close());
    expect(autocheckpoint(stores.db)).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES);
  });
});
