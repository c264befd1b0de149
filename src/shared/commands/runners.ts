// Runners (other machines' hosts, reached over NATS) as the console sees them: the list with each
// runner's presence. Without a NATS URL the console answers with natsUrl null and no runners.
import { z } from 'zod';

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
    }),
  },
} as const;
export type RunnersList = z.infer<(typeof runnerCommands)['runners.list']['response']>;
