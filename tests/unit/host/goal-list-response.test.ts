// goals.list through the real host. Its answer is not checked against the contract a second time (the
// goal store holds each row to the contract's goal summary as it reads it back), so this holds that
// answer to the contract: for goals of every kind, valid rows at the edges of each rule and damaged
// ones, the answer parses as the contract's goals.list response, unchanged, and a damaged row is left
// out (or loses only its sparkline) while the rest of the list is still answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { openStores } from '../../../src/main/store/index.js';
import { commands, type CommandResponse } from '../../../src/shared/contract.js';
import { GoalStatusSchema } from '../../../src/shared/domain/goal.js';
import { makeGoal, tempDir, type TempDir } from '../store/helpers.js';
import { seededRandom } from '../../helpers/seeded-random.js';

let dir: TempDir;
let host: Host | undefined;
/** Goals whose rows are damaged: none may be listed. */
const damaged = new Map<string, string>();
/** Goals whose turns' tokens sum past the safe integers: listed, with no sparkline. */
let overflowing = '';
let validCount = 0;
const GOAL_STATUSES = GoalStatusSchema.options;

beforeAll(async () => {
  dir = tempDir('overseer-goal-list-');
  const path = join(dir.path, 'overseer.db');
  const stores = openStores(path);
  const random = seededRandom(20261203);
  const ids: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    const goal = makeGoal({
      description: `goal ${i}`,
      createdAt: new Date(Date.UTC(2026, 11, 1) + Math.floor(random() * 5) * 60_000).toISOString(),
    });
    stores.goals.insert(goal);
    ids.push(goal.id);
  }
  stores.close();
  // Ended goals while the host starts (it would resume or run others); the statuses change after.
  new BetterSqlite3(path).exec("UPDATE goals SET status = 'done'").close();
  host = await createHost({ mode: 'browser', dataDir: dir.path, heartbeatMs: 0 });

  const db = new BetterSqlite3(path);
  const status = db.prepare('UPDATE goals SET status = ?, total_turns = ?, tokens = ?, cost_usd = ? WHERE id = ?');
  const turn = db.prepare(
    "INSERT INTO turns (goal_id, turn_index, attempt, status, tokens, prompt) VALUES (?, ?, ?, 'completed', ?, 'p')",
  );
  const edgeCounts = [0, 1, Number.MAX_SAFE_INTEGER];
  for (const [i, id] of ids.entries()) {
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    status.run(pick(GOAL_STATUSES), pick(edgeCounts), pick(edgeCounts), pick([0, 0.0001, 1e9]), id);
    const turns = Math.floor(random() * 40);
    for (let index = 0; index < turns; index += 1)
      for (let attempt = 1; attempt <= 1 + Math.floor(random() * 2); attempt += 1)
        turn.run(id, index, attempt, Math.floor(random() * 90_000));
    if (i === 0) {
      overflowing = id;
      turn.run(id, 0, 10, Number.MAX_SAFE_INTEGER);
      turn.run(id, 0, 11, Number.MAX_SAFE_INTEGER);
    }
  }
  // Damage no writer of ours makes, each in a goal of its own.
  const damage: [string, string][] = [
    ['an id that is not a goal id', 'UPDATE goals SET id = ? WHERE id = ?'],
    ['a status the contract does not know', "UPDATE goals SET status = 'bogus' WHERE id = ?"],
    ['tokens past the safe integers', 'UPDATE goals SET tokens = 9007199254740993 WHERE id = ?'],
    ['a negative cost', 'UPDATE goals SET cost_usd = -1 WHERE id = ?'],
    ['a negative turn count', 'UPDATE goals SET total_turns = -3 WHERE id = ?'],
    [
      'a fractional max turns',
      "UPDATE goals SET goal_json = json_set(goal_json, '$.budget.maxTurns', 2.5) WHERE id = ?",
    ],
  ];
  db.pragma('foreign_keys = OFF');
  for (const [index, [what, sql]] of damage.entries()) {
    const id = ids[ids.length - 1 - index] as string;
    if (sql.startsWith('UPDATE goals SET id')) {
      const bad = `not-a-uuid-${randomUUID()}`;
      db.prepare('DELETE FROM turns WHERE goal_id = ?').run(id);
      db.prepare(sql).run(bad, id);
      damaged.set(bad, what);
    } else {
      db.prepare(sql).run(id);
      damaged.set(id, what);
    }
  }
  db.close();
  validCount = ids.length - damage.length;
}, 120_000);

afterAll(async () => {
  await host?.close();
  dir.remove();
});

async function list(request: Record<string, unknown>): Promise<CommandResponse<'goals.list'>> {
  if (host === undefined) throw new Error('no host');
  const result = await host.dispatcher.invoke('goals.list', request, { transport: 'local' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as CommandResponse<'goals.list'>;
}

describe('goals.list, answered without a second check', () => {
  it('answers what the contract requires, unchanged by parsing it, with every damaged row left out', async () => {
    const answer = await list({ limit: 1_000 });
    expect(commands['goals.list'].response.parse(answer)).toEqual(answer);
    expect(answer.goals).toHaveLength(validCount);
    for (const [id, what] of damaged)
      expect({ what, listed: answer.goals.some((goal) => goal.id === id) }).toEqual({ what, listed: false });
    // A damaged row is still a goal: the total counts it.
    expect(answer.total).toBe(validCount + damaged.size);
  });

  it('keeps a goal whose turns sum past the safe integers, without its sparkline', async () => {
    const answer = await list({ limit: 1_000 });
    const goal = answer.goals.find((summary) => summary.id === overflowing);
    expect(goal?.tokensPerTurn).toEqual([]);
    expect(answer.goals.filter((summary) => summary.tokensPerTurn.length > 0).length).toBeGreaterThan(20);
  });

  it('holds to the contract for every status filter', async () => {
    for (const status of GOAL_STATUSES) {
      const answer = await list({ statuses: [status], limit: 10 });
      expect(commands['goals.list'].response.parse(answer)).toEqual(answer);
      expect(answer.goals.every((goal) => goal.status === status)).toBe(true);
    }
  });
});
