// Whole-number flags: plain digits only, within the flag's range, and a message that names the
// flag, what it takes and what was given. Also through `overseer run`'s budget flags.
import { describe, expect, it } from 'vitest';
import { wholeNumberFlag } from '../../../src/main/cli/number-flags.js';
import { parseRunOptions } from '../../../src/main/cli/run-options.js';
import { UsageError } from '../../../src/main/cli/usage.js';

describe('wholeNumberFlag', () => {
  it('reads plain decimal digits (surrounding blanks allowed)', () => {
    expect(wholeNumberFlag('--n', '0', { min: 0 })).toBe(0);
    expect(wholeNumberFlag('--n', '42', { min: 0 })).toBe(42);
    expect(wholeNumberFlag('--n', ' 7 ', { min: 1 })).toBe(7);
    expect(wholeNumberFlag('--n', '9007199254740991', { min: 0 })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['', ' ', '1e3', '0x10', '-1', '+5', '1.5', '1_000', 'ten', '9007199254740992', '12345678901234567'])(
    'refuses %j',
    (text) => {
      expect(() => wholeNumberFlag('--n', text, { min: 0 })).toThrow(UsageError);
      expect(() => wholeNumberFlag('--n', text, { min: 0 })).toThrow(`--n must be a whole number, got "${text}"`);
    },
  );

  it('holds the range and says it', () => {
    expect(() => wholeNumberFlag('--port', '65536', { min: 0, max: 65535 })).toThrow(
      '--port must be a whole number from 0 to 65535, got "65536"',
    );
    expect(() => wholeNumberFlag('--heartbeat-ms', '99', { min: 100, unit: 'of milliseconds' })).toThrow(
      '--heartbeat-ms must be a whole number of milliseconds (at least 100), got "99"',
    );
    expect(wholeNumberFlag('--port', '65535', { min: 0, max: 65535 })).toBe(65535);
  });
});

describe('overseer run budget flags', () => {
  const base = ['--repo', '/tmp/repo', '--goal', 'fix it'];

  it('reads --max-turns and --max-tokens', () => {
    expect(parseRunOptions([...base, '--max-turns', '12', '--max-tokens', '500000']).budget).toMatchObject({
      maxTurns: 12,
      maxTokens: 500_000,
    });
  });

  it.each([
    ['--max-turns', '0x10'],
    ['--max-turns', '1e1'],
    ['--max-turns', '0'],
    ['--max-turns', ''],
    ['--max-tokens', '1e21'],
    ['--max-tokens', '5.5'],
  ])('refuses %s %j with a message naming the flag', (flag, text) => {
    expect(() => parseRunOptions([...base, flag, text])).toThrow(new RegExp(`^${flag} must be a whole number`));
  });
});
