// The approval keys' guard: a prompt ignores `a` until it has been on screen KEY_GUARD_MS.
import { describe, expect, it } from 'vitest';
import { KEY_GUARD_MS, keysReady } from '../../../src/renderer/lib/key-guard';

describe('keysReady', () => {
  it('is false until the moment has passed, then true', () => {
    expect(KEY_GUARD_MS).toBeGreaterThanOrEqual(400);
    expect(keysReady(1000, 1000)).toBe(false);
    expect(keysReady(1000, 1000 + KEY_GUARD_MS - 1)).toBe(false);
    expect(keysReady(1000, 1000 + KEY_GUARD_MS)).toBe(true);
    expect(keysReady(1000, 1100, 50)).toBe(true);
  });
});
