// The NATS contract version: a runner announces the version it speaks in its presence record, a
// record without one is the oldest, and a console leaves off a command's fields that the runner's
// version does not have (the strict command contract of an older runner would refuse them). Both
// directions: a newer console to an older runner (fields left off, the rest intact) and a console
// to a runner as new as itself (sent as they are), plus what an older runner accepts.
import { describe, expect, it } from 'vitest';
import {
  contractOf,
  NATS_CONTRACT,
  OLDEST_CONTRACT,
  payloadForContract,
} from '../../../src/main/nats/contract-version.js';
import { RunnerPresenceSchema } from '../../../src/main/nats/wire.js';
import { commands } from '../../../src/shared/contract.js';

const presenceRecord = {
  name: 'box',
  instanceId: 'i-1',
  version: '0.1.0',
  os: 'linux',
  hostname: 'box.local',
  claudeBinary: '/usr/bin/claude',
  maxSlots: 2,
  freeSlots: 2,
  runningGoalIds: [],
  queuedGoals: 0,
  startedAt: '2026-11-30T10:00:00.000Z',
  at: '2026-11-30T10:00:05.000Z',
  heartbeatMs: 5000,
  state: 'online',
};

const decision = { requestId: 'req-1', action: { kind: 'allow' }, decidedBy: 'laptop' };

/** What a runner built before `decidedBy` accepts: the same strict request without that field. */
const oldDecideRequest = commands['permission.decide'].request.omit({ decidedBy: true });

describe('the contract version in presence', () => {
  it('reads a record without a version (a runner from before versions) as the oldest', () => {
    const parsed = RunnerPresenceSchema.parse(presenceRecord);
    expect(parsed.contract).toBeUndefined();
    expect(contractOf(parsed.contract)).toBe(OLDEST_CONTRACT);
  });

  it("reads a runner's announced version", () => {
    const parsed = RunnerPresenceSchema.parse({ ...presenceRecord, contract: NATS_CONTRACT });
    expect(contractOf(parsed.contract)).toBe(NATS_CONTRACT);
    expect(NATS_CONTRACT).toBeGreaterThan(OLDEST_CONTRACT);
  });

  it('refuses a version that is not a positive whole number', () => {
    expect(RunnerPresenceSchema.safeParse({ ...presenceRecord, contract: 0 }).success).toBe(false);
    expect(RunnerPresenceSchema.safeParse({ ...presenceRecord, contract: '2' }).success).toBe(false);
    expect(contractOf(0)).toBe(OLDEST_CONTRACT);
    expect(contractOf(1.5)).toBe(OLDEST_CONTRACT);
  });
});

describe('a command as the runner speaks it', () => {
  it('leaves decidedBy off for a runner of the oldest contract, which then accepts the decision', () => {
    const spoken = payloadForContract(OLDEST_CONTRACT, 'permission.decide', decision);
    expect(spoken).toEqual({ requestId: 'req-1', action: { kind: 'allow' } });
    expect(oldDecideRequest.safeParse(spoken).success).toBe(true);
    // Sent as it was, the older runner would refuse it (its contract is strict).
    expect(oldDecideRequest.safeParse(decision).success).toBe(false);
    // The caller's payload is not changed.
    expect(decision.decidedBy).toBe('laptop');
  });

  it('sends decidedBy to a runner that speaks this contract, which records it', () => {
    const spoken = payloadForContract(NATS_CONTRACT, 'permission.decide', decision);
    expect(spoken).toBe(decision);
    expect(commands['permission.decide'].request.parse(spoken)).toMatchObject({ decidedBy: 'laptop' });
  });

  it('accepts a decision without decidedBy on a runner of this contract (an older console)', () => {
    const fromOldConsole = { requestId: 'req-1', action: { kind: 'allow' } };
    expect(payloadForContract(NATS_CONTRACT, 'permission.decide', fromOldConsole)).toBe(fromOldConsole);
    expect(commands['permission.decide'].request.safeParse(fromOldConsole).success).toBe(true);
  });

  it('leaves every other channel and payload as it is', () => {
    const cancel = { goalId: 'g-1', decidedBy: 'not a field of goal.cancel' };
    expect(payloadForContract(OLDEST_CONTRACT, 'goal.cancel', cancel)).toBe(cancel);
    for (const odd of [null, 'text', 42, ['decidedBy']]) {
      expect(payloadForContract(OLDEST_CONTRACT, 'permission.decide', odd)).toBe(odd);
    }
  });
});
