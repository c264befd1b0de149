// A long home-page section shows its first items and offers the rest in steps.
import { describe, expect, it } from 'vitest';
import { moreLabel, SECTION_FIRST, SECTION_STEP, shownItems } from '../../../src/renderer/features/home/shown-items';

describe('home page section limits', () => {
  it('shows every item of a short section and the first ones of a long one', () => {
    const few = [1, 2, 3];
    expect(shownItems(few, SECTION_FIRST)).toBe(few);
    const many = Array.from({ length: 1000 }, (_, index) => index);
    expect(shownItems(many, SECTION_FIRST)).toEqual(many.slice(0, SECTION_FIRST));
    expect(shownItems(many, SECTION_FIRST + SECTION_STEP)).toHaveLength(SECTION_FIRST + SECTION_STEP);
  });

  it('says how many more there are, and nothing once all are shown', () => {
    expect(moreLabel(3, SECTION_FIRST)).toBeNull();
    expect(moreLabel(SECTION_FIRST, SECTION_FIRST)).toBeNull();
    expect(moreLabel(SECTION_FIRST + 1, SECTION_FIRST)).toBe('Show 1 more item');
    expect(moreLabel(SECTION_FIRST + 7, SECTION_FIRST)).toBe('Show 7 more items');
    expect(moreLabel(1000, SECTION_FIRST)).toBe(`Show ${SECTION_STEP} more (${1000 - SECTION_FIRST} not shown)`);
  });
});
