// The turn timeout and the permission tool's start-up with the real CLI: a turn whose tool hangs is
// stopped by its (short) idle timeout, retried once in a fresh session, then escalated; a turn
// waiting on the operator far longer than the timeout survives; a bridge that starts slowly still
// gets its Write allowed; a bridge too slow for a CLI that does not wait escalates with a clear reason.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceBridge, startRealDriver, type RealDriver } from './support/real-driver.js';
import { processesMatching, uniqueSleepSeconds } from './support/procs.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

/** A bridge that starts only after `seconds` (what a busy machine does to a slow-loading bridge). */
const delayedBridge = (seconds: number) =>
  sourceBridge(['/bin/sh', '-c', `sleep ${seconds}; exec "$@"`, 'delayed-bridge']);

describe('turn timeout', () => {
  it(
    'a hanging tool: the turn times out, is retried in a fresh session with rollback, then the goal escalates',
    { timeout: 240_000 },
    async () => {
      const seconds = uniqueSleepSeconds();
      d = await startRealDriver(
        () => ({
          toolUses: [
            {
              name: 'Bash',
              input: { command: `python3 -c 'import time; time.sleep(${seconds})'`, description: 'hang' },
            },
          ],
        }),
        { turnTimeoutMs: 4000, killGraceMs: 3000 },
      );
      const goal = d.goal({ acceptance: [] });
      const outcome = await d.driver.runGoal(goal);
      expect(outcome.outcome).toEqual({
        kind: 'escalate',
        reason: 'transient errors persist after 1 retries: turn timeout: no output from Claude for 4 s',
      });
      expect(d.events.of('replay_decision').map((e) => e.decision.kind)).toEqual(['fresh_session_retry', 'escalate']);
      expect(d.events.of('rollback')).toHaveLength(1);
      expect(d.events.of('attempt_completed').map((e) => e.result.outcome)).toEqual([
        { kind: 'continue', reason: 'turn timeout: no output from Claude for 4 s', cause: 'turn_timeout' },
        { kind: 'continue', reason: 'turn timeout: no output from Claude for 4 s', cause: 'turn_timeout' },
      ]);
      expect(processesMatching(`time.sleep(${seconds})`)).toEqual([]);
    },
  );

  it('the goal’s own turn timeout wins over the host default', { timeout: 240_000 }, async () => {
    const seconds = uniqueSleepSeconds();
    d = await startRealDriver(
      () => ({
        toolUses: [
          { name: 'Bash', input: { command: `python3 -c 'import time; time.sleep(${seconds})'`, description: 'hang' } },
        ],
      }),
      { turnTimeoutMs: 600_000, killGraceMs: 3000 },
    );
    const goal = d.goal({ acceptance: [], turnTimeoutMs: 4000 });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.outcome).toMatchObject({
      kind: 'escalate',
      reason: expect.stringContaining('turn timeout: no output from Claude for 4 s'),
    });
  });

  it(
    'a turn waiting on the operator much longer than the turn timeout survives, and its Write runs once allowed',
    { timeout: 420_000 },
    async () => {
      const r = await startRealDriver(
        (ctx) =>
          ctx.index === 0
            ? { toolUses: [{ name: 'Write', input: { file_path: 'approved.txt', content: 'yes\n' } }] }
            : { text: 'written' },
        { turnTimeoutMs: 30_000 },
      );
      d = r;
      const goal = r.goal({ acceptance: [], permissionMode: 'ask' });
      const running = r.driver.runGoal(goal);
      const requested = await r.events
        .waitFor('permission_requested', () => true, 180_000)
        .catch((error: unknown) => {
          const warnings = r.events.of('driver_warning').map((e) => e.message);
          throw new Error(
            `${error instanceof Error ? error.message : String(error)}; warnings: ${warnings.join(' | ')}`,
          );
        });
      // The operator is away for 2.5 turn timeouts (a 15-minute wait against the 10-minute default, shortened: 75 s against 30 s).
      await new Promise((resolve) => setTimeout(resolve, 75_000));
      expect(r.events.of('attempt_completed')).toHaveLength(0);
      r.permissions.broker.allowOnce(requested.request.id);
      const outcome = await running;
      expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1, finalText: 'written' });
      const worktree = join(r.root, 'worktrees', goal.id);
      expect(readFileSync(join(worktree, 'approved.txt'), 'utf8')).toBe('yes\n');
    },
  );
});

// A per-turn process reaches the permission path through the MCP bridge, which it starts itself (a long-lived
// process asks on its own stdio and starts none: long-lived-errors.test.ts).
describe('the permission tool at start-up, per turn', () => {
  it('a bridge that answers only after 3 s still gets its Write allowed', { timeout: 240_000 }, async () => {
    d = await startRealDriver(
      (ctx) =>
        ctx.index === 0
          ? { toolUses: [{ name: 'Write', input: { file_path: 'slow.txt', content: 'slow\n' } }] }
          : { text: 'written' },
      { claudeProcess: 'per-turn' },
      { bridge: delayedBridge(3) },
    );
    const goal = d.goal({ acceptance: [] });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome).toMatchObject({ outcome: { kind: 'done' }, totalTurns: 1 });
    expect(d.events.of('permission_decided')).toMatchObject([{ toolName: 'Write', decision: { behavior: 'allow' } }]);
    expect(existsSync(join(d.root, 'worktrees', goal.id, 'slow.txt'))).toBe(true);
  });

  it(
    'a CLI told not to wait for a bridge that stays slow: one retry with a fresh bridge, then the goal escalates saying why',
    { timeout: 240_000 },
    async () => {
      d = await startRealDriver(
        () => ({ toolUses: [{ name: 'Write', input: { file_path: 'never.txt', content: 'no\n' } }] }),
        { claudeProcess: 'per-turn' },
        { bridge: delayedBridge(30), extraEnv: { MCP_CONNECTION_NONBLOCKING: 'true' } },
      );
      const goal = d.goal({ acceptance: [] });
      const outcome = await d.driver.runGoal(goal);
      expect(outcome.outcome).toMatchObject({
        kind: 'escalate',
        reason: expect.stringMatching(
          /^permission tool missing: Claude Code twice started without Overseer's permission tool .*MCP tool mcp__overseer__permission_prompt/,
        ),
      });
      expect(outcome.totalTurns).toBe(1);
      expect(d.transcripts.processes).toHaveLength(2);
      expect(
        d.events
          .of('driver_warning')
          .map((e) => e.message)
          .join('\n'),
      ).toContain('retrying the turn once with a fresh bridge');
      expect(d.events.of('escalate')).toHaveLength(1);
    },
  );
});
