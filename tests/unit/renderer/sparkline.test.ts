// The sidebar sparkline's geometry and the per-turn sums it draws.
import { describe, expect, it } from 'vitest';
import type { TurnSummary } from '../../../src/shared/domain/views';
import { sparklinePoints, sparklineShown } from '../../../src/renderer/features/goals/Sparkline';
import { perTurn } from '../../../src/shared/domain/per-turn';

const parse = (points: string) => points.split(' ').map((pair) => pair.split(',').map(Number));

describe('sparklinePoints', () => {
  it('spans the width, the largest value at the top and zero at the bottom', () => {
    const points = parse(sparklinePoints([0, 50, 100], 64, 16));
    expect(points).toEqual([
      [0, 15],
      [32, 8],
      [64, 1],
    ]);
  });

  it('draws one value as a flat line, all zeros along the bottom, nothing for no turns', () => {
    expect(sparklinePoints([40], 64, 16)).toBe('0,1.0 64,1.0');
    expect(parse(sparklinePoints([0, 0], 64, 16))).toEqual([
      [0, 15],
      [64, 15],
    ]);
    expect(sparklinePoints([])).toBe('');
  });
});

describe('sparklineShown', () => {
  it("names the turns it draws when they are not all of the goal's: sent from a later turn, or cut", () => {
    expect(sparklineShown([100, 2000]).label).toBe('Tokens per turn: 100, 2.0k');
    const sent = sparklineShown([1, 2, 3], 6);
    expect(sent.recent).toEqual([1, 2, 3]);
    expect(sent.label).toMatch(/^Tokens per turn \(turns 7–9\): /);
    const whole = sparklineShown(Array.from({ length: 30 }, (_, i) => i));
    expect(whole.recent).toEqual(Array.from({ length: 24 }, (_, i) => i + 6));
    expect(whole.label).toMatch(/^Tokens per turn \(turns 7–30\): /);
    expect(sparklineShown([]).recent).toEqual([]);
  });
});

describe('perTurn', () => {
  const turn = (turnIndex: number, tokens: number) => ({ turnIndex, tokens }) as TurnSummary;
  it('sums the attempts of a turn and fills a missing turn with 0', () => {
    expect(perTurn([turn(0, 10), turn(0, 5), turn(2, 7)], (t) => t.tokens)).toEqual([15, 0, 7]);
  });
});
