import { describe, expect, it } from 'vitest';
import { claudeEnvironment } from '../../../src/main/driver/attempt-process.js';

describe('claudeEnvironment', () => {
  it('makes Claude Code wait for the permission bridge unless the user chose otherwise', () => {
    expect(claudeEnvironment({ PATH: '/bin' })).toEqual({ PATH: '/bin', MCP_CONNECTION_NONBLOCKING: 'false' });
    expect(claudeEnvironment({ MCP_CONNECTION_NONBLOCKING: 'true' })['MCP_CONNECTION_NONBLOCKING']).toBe('true');
  });
});
