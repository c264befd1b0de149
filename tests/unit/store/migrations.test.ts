import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  openDatabase,
  openStores,
  SchemaTooNewError,
  schemaVersion,
  type Migration,
} from '../../../src/main/store/index.js';
import { goalListSql } from '../../../src/main/store/goal-store.js';
import { INTERRUPT_OPEN_TURNS_SQL } from '../../../src/main/store/recovery.js';
import type { Goal } from '../../../src/shared/domain/goal.js';
import { assistantTextLine, makeGoal, tempDir, type TempDir } from './helpers.js';

const NameRows = z.array(z.object({ name: z.string() }));

function tableNames(db: BetterSqlite3.Database): string[] {
  return NameRows.parse(db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all()).map(
    (row) => row.name,
  );
}

/** A goal row as the core tables (version 1 on) hold it, written into a database of an older version. */
function insertGoalRow(db: BetterSqlite3.Database, goal: Goal, status: string): void {
  db.prepare(
    `INSERT INTO goals (id, description, repo_path, goal_json, status, usage_json, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '{}', ?, ?)`,
  ).run(goal.id, goal.description, goal.repoPath, JSON.stringify(goal), status, goal.createdAt, goal.createdAt);
}

const PlanRows = z.array(z.object({ detail: z.string() }).loose());

/** The details of SQLite's plan for `sql` run with `params`. */
function queryPlan(db: BetterSqlite3.Database, sql: string, ...params: unknown[]): string[] {
  return PlanRows.parse(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params)).map((row) => row.detail);
}

let dir: TempDir | null = null;
afterEach(() => {
  dir?.remove();
  dir = null;
});

describe('migrations', () => {
  it('keeps at least two numbered migrations in order', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
    MIGRATIONS.forEach((migration, index) => expect(migration.version).toBe(index + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('builds the whole schema on an empty database, with WAL, NORMAL sync and foreign keys', () => {
    const tmp = (dir = tempDir());
    const db = openDatabase(join(tmp.path, 'a.db'));
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(tableNames(db)).toEqual(
        expect.arrayContaining([
          'goals',
          'turns',
          'events',
          'transcript_lines',
          'permission_requests',
          'rules',
          'session_bindings',
          'compact_summaries',
          'settings',
          'goal_processes',
          'goals_fts',
          'transcript_fts',
        ]),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('upgrades a version-1 database holding data, back-filling search', () => {
    const tmp = (dir = tempDir());
    const path = join(tmp.path, 'old.db');
    const v1 = openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) });
    const goal = makeGoal({ description: 'Teach the frobnicator about sprockets' });
    insertGoalRow(v1, goal, 'done');
    v1.prepare('INSERT INTO transcript_lines (goal_id, turn_index, line_no, raw) VALUES (?, 0, 0, ?)').run(
      goal.id,
      assistantTextLine('the widget cache was stale'),
    );
    expect(schemaVersion(v1)).toBe(1);
    expect(tableNames(v1)).not.toContain('settings');
    v1.close();

    const stores = openStores(path);
    try {
      expect(schemaVersion(stores.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(stores.goals.get(goal.id)?.goal.description).toBe(goal.description);
      const found = stores.search('sprockets', 10);
      expect(found.goals.map((hit) => hit.goalId)).toEqual([goal.id]);
      const lines = stores.search('widget', 10);
      expect(lines.transcript).toEqual([expect.objectContaining({ goalId: goal.id, turnIndex: 0, lineNo: 0 })]);
      stores.settings.set('ui.theme', 'dark');
      expect(stores.settings.get('ui.theme')).toBe('dark');
    } finally {
      stores.close();
    }
  });

  it('is a no-op on a database that is already current', () => {
    const tmp = (dir = tempDir());
    const path = join(tmp.path, 'b.db');
    openDatabase(path).close();
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION);
    again.close();
  });

  it('refuses a database newer than this build, without touching it', () => {
    const tmp = (dir = tempDir());
    const path = join(tmp.path, 'new.db');
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    let thrown: unknown;
    try {
      openDatabase(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SchemaTooNewError);
    expect(String(thrown)).toContain(
      `database schema v${LATEST_SCHEMA_VERSION + 5} is newer than this Overseer (knows up to v${LATEST_SCHEMA_VERSION}); ` +
        'upgrade Overseer or point OVERSEER_HOME elsewhere',
    );
    const check = new BetterSqlite3(path);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    check.close();
  });

  it('applies pending migrations atomically: a failing one leaves the database as it was', () => {
    const tmp = (dir = tempDir());
    const path = join(tmp.path, 'c.db');
    openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) }).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(path, { migrations: [...MIGRATIONS, broken] })).toThrow('boom');
    const check = new BetterSqlite3(path);
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames(check)).not.toContain('half_done');
    expect(tableNames(check)).not.toContain('settings');
    check.close();
  });

  it("indexes the open turns on upgrade, and recovery's update reads that index instead of every turn", () => {
    const tmp = (dir = tempDir());
    const path = join(tmp.path, 'turns.db');
    const v6 = openDatabase(path, { migrations: MIGRATIONS.slice(0, 6) });
    const goal = makeGoal();
    insertGoalRow(v6, goal, 'running');
    const turn = v6.prepare('INSERT INTO turns (goal_id, turn_index, attempt, status) VALUES (?, ?, 0, ?)');
    turn.run(goal.id, 0, 'completed');
    turn.run(goal.id, 1, 'running');
    v6.close();

    const db = openDatabase(path);
    try {
      const plan = queryPlan(db, INTERRUPT_OPEN_TURNS_SQL, '2026-12-02T00:00:00.000Z');
      expect(plan.join('; ')).toContain('USING INDEX turns_open');
      expect(plan.join('; ')).not.toMatch(/SCAN turns$/m);
      expect(db.prepare(INTERRUPT_OPEN_TURNS_SQL).run('2026-12-02T00:00:00.000Z').changes).toBe(1);
      const Statuses = z.array(z.object({ turn_index: z.number(), status: z.string() }));
      expect(Statuses.parse(db.prepare('SELECT turn_index, status FROM turns ORDER BY turn_index').all())).toEqual([
        { turn_index: 0, status: 'completed' },
        { turn_index: 1, status: 'interrupted' },
      ]);
    } finally {
      db.close();
    }
  });

  it("indexes the turns' tokens on upgrade, and the goal list reads them from that index alone", () => {
    const tmp = (dir = tempDir());
    const path = join(tmp.path, 'tokens.db');
    const v7 = openDatabase(path, { migrations: MIGRATIONS.slice(0, 7) });
    const goal = makeGoal();
    insertGoalRow(v7, goal, 'running');
    const turn = v7.prepare(
      "INSERT INTO turns (goal_id, turn_index, attempt, status, tokens, prompt) VALUES (?, ?, ?, 'completed', ?, 'p')",
    );
    turn.run(goal.id, 0, 1, 100);
    turn.run(goal.id, 1, 1, 7);
    turn.run(goal.id, 1, 2, 30); // a retry of turn 1: summed
    v7.close();

    const stores = openStores(path);
    try {
      const plan = queryPlan(stores.db, goalListSql([]), 10, 0);
      // Both of the tokens subquery's reads of turns (its rows and their last index) stay in the index.
      expect(plan.filter((detail) => /^SEARCH [tm] /.test(detail))).toEqual([
        expect.stringContaining('USING COVERING INDEX turns_tokens'),
        expect.stringContaining('USING COVERING INDEX turns_tokens'),
      ]);
      const [row] = stores.goals.list();
      expect(row?.tokensPerTurn).toEqual([100, 37]);
      expect(row?.tokensPerTurnFrom).toBe(0);
    } finally {
      stores.close();
    }
  });
});
