// The goal list's order (newestGoalFirst) is the host query's: it must sort any set of goals exactly as
// SQLite's `ORDER BY created_at DESC, id DESC` does, since the console and the NATS console merge
// lists with it.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newestGoalFirst } from '../../../src/shared/domain/goal-list.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const IdRows = z.array(z.object({ id: z.string() }));

describe('newestGoalFirst', () => {
  it('puts the newest first, then the larger id, and keeps equal goals equal', () => {
    const goals = [
      { id: 'b', createdAt: '2026-12-01T10:00:00.000Z' },
      { id: 'a', createdAt: '2026-12-02T09:00:00.000Z' },
      { id: 'c', createdAt: '2026-12-01T10:00:00.000Z' },
    ];
    expect([...goals].sort(newestGoalFirst).map((goal) => goal.id)).toEqual(['a', 'c', 'b']);
    expect(newestGoalFirst(goals[0]!, { ...goals[0]! })).toBe(0);
  });

  it('sorts as the host query does, for ids and times that share prefixes, punctuation and case', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec('CREATE TABLE goals (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO goals (id, created_at) VALUES (?, ?)');
    const random = seededRandom(20261202);
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const goals: { id: string; createdAt: string }[] = [];
    for (let i = 0; i < 400; i += 1) {
      // Few distinct times, so many goals tie on createdAt and the ids decide.
      const createdAt = new Date(Date.UTC(2026, 11, 1) + Math.floor(random() * 6) * 3_600_000).toISOString();
      const id = `${pick('0a-', 3)}${pick('0123456789abcdefABCDEF-_', 1 + Math.floor(random() * 8))}${i}`;
      goals.push({ id, createdAt });
      insert.run(id, createdAt);
    }
    const hostOrder = IdRows.parse(db.prepare('SELECT id FROM goals ORDER BY created_at DESC, id DESC').all()).map(
      (row) => row.id,
    );
    db.close();
    expect([...goals].sort(newestGoalFirst).map((goal) => goal.id)).toEqual(hostOrder);
  });
});
