// The goal list's turn-tokens column is checked by hand (goal-list-tokens.ts), for speed. This holds
// that check to the zod schema that states the same rule: for every value, valid or damaged, both give
// the same records (a damaged value: none).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonText } from '../../../src/main/store/rows.js';
import {
  LISTED_TURN_INDEX_LIMIT,
  TurnTokensColumnSchema,
  turnTokenRecords,
} from '../../../src/main/store/goal-list-tokens.js';
import { seededRandom } from '../../helpers/seeded-random.js';

/** The rule as zod states it: a JSON array of [turn index ≤ the limit, tokens], non-negative integers. */
const ZodReference = jsonText(
  z.array(z.tuple([z.number().int().nonnegative().max(LISTED_TURN_INDEX_LIMIT), z.number().int().nonnegative()])),
).catch([]);

const SEED = 20261203;

/** A number that is sometimes valid and sometimes just not (edges of every rule). */
function numberCase(random: () => number): unknown {
  const cases: unknown[] = [
    0,
    1,
    Math.floor(random() * 1000),
    LISTED_TURN_INDEX_LIMIT,
    LISTED_TURN_INDEX_LIMIT + 1,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -1,
    -0,
    1.5,
    '3',
    null,
    true,
    [],
    {},
  ];
  return cases[Math.floor(random() * cases.length)];
}

/** Column texts that JSON.stringify would not write: broken JSON, exponents, an infinite number, -0. */
const TEXT_CASES = ['[[0,1]', '', 'null', '{}', '[[0,1]]]', '"[]"', '[[0,1],]', '[[0,1e400]]', '[[1e2,3]]', '[[-0,0]]'];

/** A column value: mostly well formed, with a damaged part now and then. */
function columnCase(random: () => number): unknown {
  const roll = random();
  if (roll < 0.05) return numberCase(random); // not text at all
  if (roll < 0.1) return TEXT_CASES[Math.floor(random() * TEXT_CASES.length)];
  const records: unknown[] = [];
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i += 1) {
    const damaged = random() < 0.15;
    if (damaged && random() < 0.3) {
      records.push([[0], [1, 2, 3], 'x', null, { 0: 1, 1: 2 }][Math.floor(random() * 5)]);
    } else {
      const turnIndex = damaged && random() < 0.5 ? numberCase(random) : Math.floor(random() * 40);
      const tokens = damaged ? numberCase(random) : Math.floor(random() * 50_000);
      records.push([turnIndex, tokens]);
    }
  }
  return JSON.stringify(records);
}

describe('the goal list turn-tokens column', () => {
  it('reads valid records and refuses every damaged one', () => {
    expect(turnTokenRecords('[[0,100],[1,7],[1,30]]')).toEqual([
      [0, 100],
      [1, 7],
      [1, 30],
    ]);
    expect(turnTokenRecords('[]')).toEqual([]);
    expect(turnTokenRecords(`[[${LISTED_TURN_INDEX_LIMIT},1]]`)).toEqual([[LISTED_TURN_INDEX_LIMIT, 1]]);
    for (const damaged of [
      `[[${LISTED_TURN_INDEX_LIMIT + 1},1]]`,
      '[[0,1],[1,-1]]',
      '[[0,1.5]]',
      '[[0,1,2]]',
      '[[0]]',
      '[["0",1]]',
      '{"0":[0,1]}',
      'not json',
      null,
      42,
    ])
      expect(turnTokenRecords(damaged)).toEqual([]);
  });

  it('gives the zod schema’s answer for every value, valid or damaged (seeded)', () => {
    const random = seededRandom(SEED);
    let valid = 0;
    for (let i = 0; i < 5_000; i += 1) {
      const value = columnCase(random);
      const expected = ZodReference.parse(value);
      expect({ value, records: turnTokenRecords(value) }).toEqual({ value, records: expected });
      expect(TurnTokensColumnSchema.parse(value)).toEqual(expected);
      if (expected.length > 0) valid += 1;
    }
    // The cases cover both sides of the rule.
    expect(valid).toBeGreaterThan(1_000);
    expect(valid).toBeLessThan(4_500);
  });
});
