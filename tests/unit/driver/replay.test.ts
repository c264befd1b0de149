import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DefaultReplayPolicy, type ReplayContext } from '../../../src/main/driver/replay.js';
import { ZERO_USAGE } from '../../../src/shared/domain/goal.js';

const sha = 'a'.repeat(40);
const ctx = (errorMessage: string, over: Partial<ReplayContext> = {}): ReplayContext => ({
  goalId: randomUUID(),
  turnIndex: 3,
  preTurnCheckpoint: sha,
  usage: ZERO_USAGE,
  errorMessage,
  hint: 'escalate',
  ...over,
});

describe('DefaultReplayPolicy', () => {
  const policy = new DefaultReplayPolicy();

  it.each(['prompt too long', 'PROMPT_TOO_LONG', 'context_length_exceeded', 'payload_too_large', 'Prompt is too long · the request is ~250000 tokens'])(
    '%s → compact and retry',
    (message) => {
      expect(policy.classify(ctx(message))).toEqual({ kind: 'compact_and_retry' });
    },
  );

  it('prompt too long beats a session error, and ignores the 413 counter (the budget caps it)', () => {
    expect(policy.classify(ctx('prompt too long; session expired'))).toEqual({ kind: 'compact_and_retry' });
    expect(policy.classify(ctx('prompt too long', { usage: { ...ZERO_USAGE, consecutive413: 99 } }))).toEqual({ kind: 'compact_and_retry' });
  });

  it.each(['session invalid: retrying', 'Session not found', 'session expired'])('%s → fresh session with rollback to the checkpoint', (message) => {
    expect(policy.classify(ctx(message))).toEqual({ kind: 'fresh_session_retry', rollbackTo: sha });
  });

  it('fresh session without git has no rollback', () => {
    expect(policy.classify(ctx('session invalid', { preTurnCheckpoint: null }))).toEqual({ kind: 'fresh_session_retry', rollbackTo: null });
  });

  it.each(['turn timeout', 'rate limit reached', 'service unavailable', 'temporarily down', 'API Error: 529 Overloaded'])(
    'transient %s → fresh session first, then escalate',
    (message) => {
      expect(policy.classify(ctx(message))).toEqual({ kind: 'fresh_session_retry', rollbackTo: sha });
      const decision = policy.classify(ctx(message, { usage: { ...ZERO_USAGE, consecutiveErrors: 1 } }));
      expect(decision).toEqual({ kind: 'escalate', reason: `transient errors persist after 1 retries: ${message}` });
    },
  );

  it("a permission tool still missing after the attempt's own retry escalates at once, with its reason", () => {
    const message = "permission tool missing: Claude Code twice started without Overseer's permission tool (its bridge did not answer in time), so the turn could not ask for permissions: MCP tool mcp__overseer__permission_prompt (passed via --permission-prompt-tool) not found. Available MCP tools: none";
    expect(policy.classify(ctx(message))).toEqual({ kind: 'escalate', reason: message });
  });

  it('anything else → next turn without rollback', () => {
    expect(policy.classify(ctx('stream ended without result event'))).toEqual({ kind: 'next_turn', rollbackTo: null });
    expect(policy.classify(ctx('API Error: 400 bad thing'))).toEqual({ kind: 'next_turn', rollbackTo: null });
    expect(policy.classify(ctx(''))).toEqual({ kind: 'next_turn', rollbackTo: null });
  });

  it('honours maxFreshSessionRetries', () => {
    const patient = new DefaultReplayPolicy({ maxFreshSessionRetries: 3 });
    expect(patient.classify(ctx('timeout', { usage: { ...ZERO_USAGE, consecutiveErrors: 2 } })).kind).toBe('fresh_session_retry');
    expect(patient.classify(ctx('timeout', { usage: { ...ZERO_USAGE, consecutiveErrors: 3 } })).kind).toBe('escalate');
  });
});
