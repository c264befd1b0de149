// Names on the NATS server: the runner-name rule, the per-runner command subjects, the event
// subjects (the driver's historic `agent.driver.*` names for its own kinds, `overseer.event.<runner>.<kind>`
// for the console's additions), the JetStream stream that keeps them and the KV bucket of presence.
// One owner for every name so docs/nats.md, the runner, the clients and the tests agree.
import type { DriverEventKind } from '../../shared/events.js';

/** The stream that keeps every runner's events (late consumers and server restarts lose nothing). */
export const EVENT_STREAM = 'OVERSEER_EVENTS';
/** The subjects the stream captures. */
export const EVENT_STREAM_SUBJECTS = ['agent.driver.>', 'overseer.event.>'] as const;
/** The KV bucket of runner presence: key = runner name. */
export const PRESENCE_BUCKET = 'overseer_runners';

/** Headers every event message carries, so a consumer can filter without parsing the body. */
export const HEADER_RUNNER = 'Overseer-Runner';
export const HEADER_GOAL = 'Overseer-Goal';
export const HEADER_LOG_SEQ = 'Overseer-Log-Seq';

const RUNNER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** null when `name` is a usable runner name (a subject token and a KV key), else why not. */
export function runnerNameProblem(name: string): string | null {
  if (RUNNER_NAME.test(name)) return null;
  return `runner name "${name}" must be 1–63 letters, digits, "-" or "_" (starting with a letter or digit)`;
}

/** The prefix of one runner's command subjects: `overseer.runner.<name>.cmd`. */
export function commandPrefix(runner: string): string {
  return `overseer.runner.${runner}.cmd`;
}

/** The subject a command for `runner` is requested on: `overseer.runner.<name>.cmd.<channel>`. */
export function commandSubject(runner: string, channel: string): string {
  return `${commandPrefix(runner)}.${channel}`;
}

/** The driver's own event kinds keep the subjects the original driver published them on. */
export const DRIVER_SUBJECTS: Partial<Record<DriverEventKind, string>> = {
  goal_started: 'agent.driver.goal.started',
  goal_completed: 'agent.driver.goal.completed',
  attempt_started: 'agent.driver.attempt.started',
  attempt_completed: 'agent.driver.attempt.completed',
  acceptance: 'agent.driver.acceptance',
  budget_exhausted: 'agent.driver.budget.exhausted',
  escalate: 'agent.driver.escalate',
  replay_decision: 'agent.driver.replay',
  compact_requested: 'agent.driver.compact',
  compact_completed: 'agent.driver.compact.completed',
  compact_summary_stored: 'agent.driver.compact.summary_stored',
  progress: 'agent.driver.progress',
};

/** Where an event of `kind` from `runner` is published. */
export function eventSubject(runner: string, kind: DriverEventKind): string {
  return DRIVER_SUBJECTS[kind] ?? `overseer.event.${runner}.${kind}`;
}
