// `overseer run --turn-timeout`: a duration, checked like the other duration flags.
import { describe, expect, it } from 'vitest';
import { parseRunOptions } from '../../../src/main/cli/run-options.js';

const base = ['--repo', '/tmp/repo', '--goal', 'fix it'];

describe('--turn-timeout', () => {
  it('reads a duration; absent means the default (null); 0 means never', () => {
    expect(parseRunOptions([...base, '--turn-timeout', '10m']).turnTimeoutMs).toBe(600_000);
    expect(parseRunOptions([...base, '--turn-timeout', '90s']).turnTimeoutMs).toBe(90_000);
    expect(parseRunOptions([...base, '--turn-timeout', '0']).turnTimeoutMs).toBe(0);
    expect(parseRunOptions(base).turnTimeoutMs).toBeNull();
  });

  it('a bad value names the flag', () => {
    expect(() => parseRunOptions([...base, '--turn-timeout', 'soon'])).toThrow(
      /--turn-timeout: cannot read duration "soon"/,
    );
  });
});
