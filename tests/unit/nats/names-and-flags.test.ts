// The NATS names (event subjects of the driver's kinds and of the console's, runner names) and the
// CLI's NATS flags (URL from flag or environment, secrets from the environment only, --runner).
import { describe, expect, it } from 'vitest';
import { eventSubject, runnerNameProblem, commandSubject } from '../../../src/main/nats/subjects.js';
import { natsSettings, runnerTarget } from '../../../src/main/cli/nats-flags.js';
import { isOnline } from '../../../src/main/nats/presence.js';
import type { RunnerPresence } from '../../../src/main/nats/wire.js';

describe('NATS subjects', () => {
  it("publishes the driver's kinds on the historic agent.driver subjects", () => {
    expect(eventSubject('r1', 'goal_started')).toBe('agent.driver.goal.started');
    expect(eventSubject('r1', 'goal_completed')).toBe('agent.driver.goal.completed');
    expect(eventSubject('r1', 'attempt_started')).toBe('agent.driver.attempt.started');
    expect(eventSubject('r1', 'attempt_completed')).toBe('agent.driver.attempt.completed');
    expect(eventSubject('r1', 'acceptance')).toBe('agent.driver.acceptance');
    expect(eventSubject('r1', 'budget_exhausted')).toBe('agent.driver.budget.exhausted');
    expect(eventSubject('r1', 'escalate')).toBe('agent.driver.escalate');
    expect(eventSubject('r1', 'replay_decision')).toBe('agent.driver.replay');
    expect(eventSubject('r1', 'compact_requested')).toBe('agent.driver.compact');
    expect(eventSubject('r1', 'compact_completed')).toBe('agent.driver.compact.completed');
    expect(eventSubject('r1', 'compact_summary_stored')).toBe('agent.driver.compact.summary_stored');
    expect(eventSubject('r1', 'progress')).toBe('agent.driver.progress');
  });

  it("publishes the console's own kinds under overseer.event.<runner>", () => {
    expect(eventSubject('build-box', 'permission_requested')).toBe('overseer.event.build-box.permission_requested');
    expect(eventSubject('build-box', 'turn_output')).toBe('overseer.event.build-box.turn_output');
    expect(commandSubject('build-box', 'goal.cancel')).toBe('overseer.runner.build-box.cmd.goal.cancel');
  });

  it('accepts runner names that are one subject token and a KV key', () => {
    expect(runnerNameProblem('build-box_2')).toBeNull();
    for (const bad of ['', 'a.b', 'a b', 'a*', '>', '-lead', 'x'.repeat(64)])
      expect(runnerNameProblem(bad)).not.toBeNull();
  });
});

describe('NATS flags', () => {
  it('takes the URL from --nats, else OVERSEER_NATS_URL, and says when there is none', () => {
    expect(natsSettings({ nats: 'nats://a:4222' }, {}).url).toBe('nats://a:4222');
    expect(natsSettings({}, { OVERSEER_NATS_URL: 'nats://b:4222' }).url).toBe('nats://b:4222');
    expect(() => natsSettings({}, {})).toThrow(/--nats URL is required/);
  });

  it('reads secrets from the environment only and checks the pairs', () => {
    const settings = natsSettings(
      { nats: 'nats://a', 'nats-user': 'u' },
      { OVERSEER_NATS_PASSWORD: 'p', OVERSEER_NATS_TOKEN: 't' },
    );
    expect(settings).toMatchObject({ user: 'u', password: 'p', token: 't', tls: null });
    expect(() => natsSettings({ nats: 'nats://a' }, { OVERSEER_NATS_PASSWORD: 'p' })).toThrow(/--nats-user is not/);
    expect(() => natsSettings({ nats: 'nats://a', 'nats-tls-cert': 'c' }, {})).toThrow(/go together/);
    expect(natsSettings({ nats: 'tls://a', 'nats-tls-ca': 'ca.pem' }, {}).tls).toEqual({
      caFile: 'ca.pem',
      certFile: null,
      keyFile: null,
    });
  });

  it('needs --runner with NATS flags on goal commands; none means this machine', () => {
    expect(runnerTarget({}, {})).toBeNull();
    expect(() => runnerTarget({ nats: 'nats://a' }, {})).toThrow(/go with --runner/);
    expect(runnerTarget({ runner: 'r1' }, { OVERSEER_NATS_URL: 'nats://a' })).toMatchObject({
      name: 'r1',
      settings: { url: 'nats://a' },
    });
  });
});

describe('runner presence', () => {
  const presence = (state: RunnerPresence['state']): RunnerPresence => ({
    name: 'r',
    instanceId: 'i',
    version: '0',
    os: 'linux',
    hostname: 'h',
    claudeBinary: null,
    maxSlots: 2,
    freeSlots: 2,
    runningGoalIds: [],
    queuedGoals: 0,
    startedAt: '',
    at: '',
    heartbeatMs: 1000,
    state,
  });
  it('is online until a few heartbeats are missed, and never once stopped', () => {
    const now = Date.now();
    expect(isOnline(presence('online'), new Date(now - 2000), now)).toBe(true);
    expect(isOnline(presence('online'), new Date(now - 5000), now)).toBe(false);
    expect(isOnline(presence('stopped'), new Date(now), now)).toBe(false);
  });
});
