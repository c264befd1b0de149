// Runners (other machines' hosts, reached over NATS) as the console sees them: the list with each
// runner's presence, and the two commands that name a runner because no goal exists yet: checking
// a repository path on it and starting a goal there (every other command on a remote goal keeps
// its own channel; the console forwards it by goal id). Without a NATS URL the console answers
// runners.list with natsUrl null and no runners, and refuses the other two.
import { z } from 'zod';
import { goalCommands } from './goals.js';

const runnerName = z.string().min(1).max(63);

/** What a runner says about itself: written into its presence record, shown in the console's list. */
export const RunnerAnnouncementSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** e.g. "linux 6.1.0 x64". */
  os: z.string(),
  hostname: z.string(),
  /** The Claude Code binary the runner found (null: none; goals would fail to start). */
  claudeBinary: z.string().nullable(),
  /** The admission limit (Settings → maximum goals running at once). */
  maxSlots: z.number().int().nonnegative(),
  freeSlots: z.number().int().nonnegative(),
  runningGoalIds: z.array(z.string()),
  queuedGoals: z.number().int().nonnegative(),
});

export const RunnerViewSchema = RunnerAnnouncementSchema.extend({
  online: z.boolean(),
  /** `stopped`: said goodbye; `online` with online=false: went silent (killed, lost). */
  state: z.enum(['online', 'stopped']),
  /** When its presence record was last written (ISO). */
  lastSeen: z.string(),
});
export type RunnerView = z.infer<typeof RunnerViewSchema>;

export const runnerCommands = {
  'runners.list': {
    request: z.object({}).strict(),
    response: z.object({
      /** The NATS server this console watches (null: none configured). */
      natsUrl: z.string().nullable(),
      runners: z.array(RunnerViewSchema),
      /** Why the list could not be read just now (NATS unreachable), else null. */
      problem: z.string().nullable(),
      /** The name this console sends with the decisions it forwards (`serve --name`); absent without NATS. */
      consoleName: z.string().optional(),
    }),
  },
  /** repo.validate, answered by the runner (the path is on its machine). */
  'runner.repo.validate': {
    request: z.object({ runner: runnerName, path: z.string() }).strict(),
    response: goalCommands['repo.validate'].response,
  },
  /** goal.create on the runner: the goal is the runner's, listed and steered from here. */
  'runner.goal.create': {
    request: z.object({ runner: runnerName, goal: goalCommands['goal.create'].request }).strict(),
    response: goalCommands['goal.create'].response,
  },
} as const;
export type RunnersList = z.infer<(typeof runnerCommands)['runners.list']['response']>;
