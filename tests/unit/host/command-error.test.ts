// The one table from domain errors to contract codes (toHostError), and how the dispatcher answers
// what it maps and what it does not.
import { describe, expect, it } from 'vitest';
import {
  asCommand,
  asCommandAsync,
  HostError,
  toCommandError,
  toHostError,
} from '../../../src/main/host/command-error.js';
import { CommandDispatcher } from '../../../src/main/host/dispatcher.js';
import { DriverControlError } from '../../../src/main/driver/orchestrator.js';
import { ClaudeNotFoundError } from '../../../src/main/driver/find-claude.js';
import { PermissionRequestNotPendingError, UnknownGoalError } from '../../../src/main/permission/index.js';
import { WorkspaceError } from '../../../src/main/workspace/index.js';
import { LandRefusal } from '../../../src/main/workspace/land.js';

const ctx = { transport: 'local' as const };

describe('toHostError', () => {
  it('maps each domain error to its contract code, keeping the message', () => {
    const cases: [Error, string][] = [
      [new DriverControlError('conflict', 'already paused'), 'conflict'],
      [new DriverControlError('not_found', 'no such goal'), 'not_found'],
      [new PermissionRequestNotPendingError('r1'), 'conflict'],
      [new UnknownGoalError('g1'), 'not_found'],
      [new ClaudeNotFoundError('no claude on PATH'), 'failed_precondition'],
      [new WorkspaceError('not_a_repository', 'not a git repository'), 'failed_precondition'],
    ];
    for (const [error, code] of cases) {
      const mapped = toHostError(error);
      expect(mapped, error.name).toBeInstanceOf(HostError);
      expect(mapped?.code, error.name).toBe(code);
      expect(mapped?.message, error.name).toBe(error.message);
    }
  });

  it('keeps a HostError as it is', () => {
    const error = new HostError('not_found', 'no goal g', [{ path: 'goalId', message: 'unknown' }]);
    expect(toHostError(error)).toBe(error);
  });

  it('names the refused files of a landing refusal as issues', () => {
    const refusal = new LandRefusal('conflict', 'the branches conflict', ['a.ts', 'b.ts'], { 'a.ts': 'both edited' });
    const mapped = toHostError(refusal);
    expect(mapped?.code).toBe('failed_precondition');
    expect(mapped?.issues).toEqual([
      { path: 'a.ts', message: 'both edited' },
      { path: 'b.ts', message: refusal.reason },
    ]);
  });

  it('does not map an unexpected error (the dispatcher answers it as internal)', () => {
    expect(toHostError(new TypeError('x is undefined'))).toBeNull();
    expect(toHostError('a string')).toBeNull();
    expect(toCommandError(new TypeError('x is undefined'), 'ping')).toMatchObject({ code: 'internal' });
  });

  it('asCommand rethrows mapped errors and passes others through untouched', async () => {
    expect(() =>
      asCommand(() => {
        throw new DriverControlError('failed_precondition', 'not at a cap');
      }),
    ).toThrow(expect.objectContaining({ name: 'HostError', code: 'failed_precondition' }));
    const bug = new RangeError('bug');
    expect(() =>
      asCommand(() => {
        throw bug;
      }),
    ).toThrow(bug);
    await expect(
      asCommandAsync(async () => {
        throw new WorkspaceError('not_a_repository', 'gone');
      }),
    ).rejects.toMatchObject({ name: 'HostError', code: 'failed_precondition', message: 'gone' });
    expect(asCommand(() => 7)).toBe(7);
  });

  it('reaches the client: a broker refusal thrown by a handler is a conflict answer', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('ping', () =>
      asCommand(() => {
        throw new PermissionRequestNotPendingError('r1');
      }),
    );
    expect(await dispatcher.invoke('ping', { nonce: 'a' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'conflict', channel: 'ping' },
    });
  });
});
