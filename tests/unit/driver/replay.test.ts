import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DefaultReplayPolicy, type ReplayContext } from '../../../src/main/driver/replay.js';
import { ATTEMPT_REASONS, classifyTurn, continueBecause } from '../../../src/main/driver/turn-verdict.js';
import {
  AttemptCauseSchema,
  ZERO_USAGE,
  type AttemptCause,
  type ReplayDecision,
} from '../../../src/shared/domain/goal.js';

const sha = 'a'.repeat(40);
const ctx = (errorMessage: string, over: Partial<ReplayContext> = {}): ReplayContext => ({
  goalId: randomUUID(),
  turnIndex: 3,
  preTurnCheckpoint: sha,
  usage: ZERO_USAGE,
  errorMessage,
  cause: null,
  hint: 'escalate',
  ...over,
});

describe('DefaultReplayPolicy', () => {
  const policy = new DefaultReplayPolicy();

  it.each([
    'prompt too long',
    'PROMPT_TOO_LONG',
    'context_length_exceeded',
    'payload_too_large',
    'Prompt is too long · the request is ~250000 tokens',
  ])('%s → compact and retry', (message) => {
    expect(policy.classify(ctx(message))).toEqual({ kind: 'compact_and_retry' });
  });

  it('prompt too long beats a session error, and ignores the 413 counter (the budget caps it)', () => {
    expect(policy.classify(ctx('prompt too long; session expired'))).toEqual({ kind: 'compact_and_retry' });
    expect(policy.classify(ctx('prompt too long', { usage: { ...ZERO_USAGE, consecutive413: 99 } }))).toEqual({
      kind: 'compact_and_retry',
    });
  });

  it.each(['Invalid session ID: 1234', 'Session not found', 'session expired'])(
    '%s → fresh session with rollback to the checkpoint',
    (message) => {
      expect(policy.classify(ctx(message))).toEqual({ kind: 'fresh_session_retry', rollbackTo: sha });
    },
  );

  it('fresh session without git has no rollback', () => {
    expect(policy.classify(ctx('session invalid', { preTurnCheckpoint: null }))).toEqual({
      kind: 'fresh_session_retry',
      rollbackTo: null,
    });
  });

  it.each([
    'API Error: Request timeout',
    'rate limit reached',
    'service unavailable',
    'temporarily down',
    'API Error: 529 Overloaded',
  ])('transient %s → fresh session first, then escalate', (message) => {
    expect(policy.classify(ctx(message))).toEqual({ kind: 'fresh_session_retry', rollbackTo: sha });
    const decision = policy.classify(ctx(message, { usage: { ...ZERO_USAGE, consecutiveErrors: 1 } }));
    expect(decision).toEqual({ kind: 'escalate', reason: `transient errors persist after 1 retries: ${message}` });
  });

  it('anything else → next turn without rollback', () => {
    expect(policy.classify(ctx('tool use failed'))).toEqual({ kind: 'next_turn', rollbackTo: null });
    expect(policy.classify(ctx('API Error: 400 bad thing'))).toEqual({ kind: 'next_turn', rollbackTo: null });
    expect(policy.classify(ctx(''))).toEqual({ kind: 'next_turn', rollbackTo: null });
  });

  it('honours maxFreshSessionRetries', () => {
    const patient = new DefaultReplayPolicy({ maxFreshSessionRetries: 3 });
    expect(patient.classify(ctx('timeout', { usage: { ...ZERO_USAGE, consecutiveErrors: 2 } })).kind).toBe(
      'fresh_session_retry',
    );
    expect(patient.classify(ctx('timeout', { usage: { ...ZERO_USAGE, consecutiveErrors: 3 } })).kind).toBe('escalate');
  });
});

describe("DefaultReplayPolicy on Overseer's own causes", () => {
  const policy = new DefaultReplayPolicy();
  const EXPECTED: Record<AttemptCause, ReplayDecision['kind']> = {
    turn_timeout: 'fresh_session_retry',
    session_invalid: 'fresh_session_retry',
    no_result: 'next_turn',
    max_turns: 'next_turn',
    stopped_by_operator: 'next_turn',
    no_session_to_compact: 'next_turn',
    permission_tool_missing: 'escalate',
  };
  // Words the substring rules react to, so a policy that read the text instead of the cause would differ.
  const MISLEADING = 'prompt is too long; session expired; rate limit timeout';

  it.each(AttemptCauseSchema.options)('%s: the decision follows the cause, whatever the reason says', (cause) => {
    const worded = policy.classify(ctx(ATTEMPT_REASONS[cause], { cause }));
    expect(worded.kind).toBe(EXPECTED[cause]);
    for (const reworded of ['', 'reworded entirely', MISLEADING, ATTEMPT_REASONS[cause].toUpperCase()]) {
      const decision = policy.classify(ctx(reworded, { cause }));
      expect(decision.kind).toBe(worded.kind);
      if (decision.kind !== 'escalate' && worded.kind !== 'escalate') expect(decision).toEqual(worded);
    }
  });

  it('a turn timeout is transient: a fresh session first, then escalate', () => {
    const timedOut = continueBecause('turn_timeout', 'no output from Claude (worded any way)');
    expect(policy.classify(ctx(timedOut.reason, { cause: 'turn_timeout' }))).toEqual({
      kind: 'fresh_session_retry',
      rollbackTo: sha,
    });
    const again = policy.classify(
      ctx(timedOut.reason, { cause: 'turn_timeout', usage: { ...ZERO_USAGE, consecutiveErrors: 1 } }),
    );
    expect(again).toEqual({
      kind: 'escalate',
      reason: 'transient errors persist after 1 retries: no output from Claude (worded any way)',
    });
  });

  it("a permission tool still missing after the attempt's own retry escalates at once, with its reason", () => {
    const message = "permission tool missing: Claude Code twice started without Overseer's permission tool";
    expect(policy.classify(ctx(message, { cause: 'permission_tool_missing' }))).toEqual({
      kind: 'escalate',
      reason: message,
    });
  });

  it("the turn classifier gives each outcome of Overseer's own a cause (so the policy never reads its text)", () => {
    const verdict = classifyTurn({
      result: null,
      spawnError: null,
      stopCause: null,
      timedOut: true,
      timeoutMs: 4000,
      compact: false,
    });
    expect(verdict).toMatchObject({ kind: 'outcome', outcome: { kind: 'continue', cause: 'turn_timeout' } });
    const stopped = classifyTurn({
      result: null,
      spawnError: null,
      stopCause: 'stop_turn',
      timedOut: false,
      compact: false,
    });
    expect(stopped).toMatchObject({ kind: 'outcome', outcome: { kind: 'continue', cause: 'stopped_by_operator' } });
  });
});
