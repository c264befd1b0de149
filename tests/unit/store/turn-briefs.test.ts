// A goal's turn list (goal.get, `overseer show`) is read as briefs: SQLite reads the diff stat's
// totals instead of the whole stat being parsed. The briefs must say exactly what the full turn
// records say, for finished turns, a turn still open (no outcome, no diff stat) and retries.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ZERO_USAGE } from '../../../src/shared/domain/goal.js';
import { openStores, type TurnRecord } from '../../../src/main/store/index.js';
import { seedTimeline } from '../../helpers/seed-timeline.js';
import { tempDir, type TempDir } from './helpers.js';

/** What a brief must say, worked out from the full record. */
function expectedBrief(turn: TurnRecord) {
  return {
    turnIndex: turn.turnIndex,
    attempt: turn.attempt,
    status: turn.status,
    compact: turn.compact,
    outcome: turn.outcome,
    tokens: turn.tokens,
    costUsd: turn.costUsd,
    sessionId: turn.sessionId,
    preSha: turn.preCheckpoint?.sha ?? null,
    postSha: turn.postCheckpoint?.sha ?? null,
    startedAt: turn.startedAt,
    endedAt: turn.endedAt,
    diffTotals:
      turn.diffStat === null
        ? null
        : { files: turn.diffStat.files.length, added: turn.diffStat.added, removed: turn.diffStat.removed },
  };
}

let dir: TempDir | null = null;
afterEach(() => {
  dir?.remove();
  dir = null;
});

describe('turn briefs', () => {
  it('say what the full turn records say, turn by turn', () => {
    dir = tempDir();
    // 10 whole turns, then the start of an 11th that is still open (no outcome, no diff stat).
    const seeded = seedTimeline(dir.path, 430);
    const stores = openStores(join(dir.path, 'overseer.db'));
    try {
      // A retry of the last whole turn (a second attempt at the same index).
      stores.events.append({
        kind: 'attempt_started',
        goalId: seeded.goalId,
        turnIndex: seeded.turns,
        usage: ZERO_USAGE,
        compact: true,
        prompt: 'compact',
      });
      stores.events.flush();
      const full = stores.turns.turnsForGoal(seeded.goalId);
      const briefs = stores.turns.briefsForGoal(seeded.goalId);
      expect(full.length).toBeGreaterThan(10);
      expect(full.some((turn) => turn.diffStat === null)).toBe(true);
      expect(full.some((turn) => turn.diffStat !== null && turn.outcome !== null)).toBe(true);
      expect(full.some((turn) => turn.attempt > 1)).toBe(true);
      expect(briefs).toEqual(full.map(expectedBrief));
    } finally {
      stores.close();
    }
  });

  it('are empty for a goal without turns', () => {
    dir = tempDir();
    const stores = openStores(join(dir.path, 'overseer.db'));
    try {
      expect(stores.turns.briefsForGoal('00000000-0000-4000-8000-000000000009')).toEqual([]);
    } finally {
      stores.close();
    }
  });
});
