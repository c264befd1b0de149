// The timeline's text for a turn stopped by its timeout.
import { describe, expect, it } from 'vitest';
import { outcomeLabel } from '../../../src/renderer/state/timeline-rows.js';
import { turnTimeoutReason } from '../../../src/shared/domain/turn-timeout.js';

describe('outcomeLabel', () => {
  it('a timed-out turn reads "turn timed out after 10 min"; other continues keep their reason', () => {
    expect(outcomeLabel({ kind: 'continue', reason: turnTimeoutReason(600_000) })).toEqual({ text: 'turn timed out after 10 min', tone: 'warn' });
    expect(outcomeLabel({ kind: 'continue', reason: 'stopped by operator' })).toEqual({ text: 'continue: stopped by operator', tone: 'info' });
  });
});
