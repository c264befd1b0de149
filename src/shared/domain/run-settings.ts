// How goals run, host-wide (Settings → "Running goals"): how many run at once (the rest wait in a
// queue), whether goals interrupted by a stop of Overseer resume at start, the context fill at which
// a goal's session is compacted, and progress beacons.
import { z } from 'zod';

export const RunSettingsSchema = z.object({
  /** Goals driven at once; further goals are `queued` and start in order. */
  maxRunningGoals: z.number().int().min(1).max(64).default(3),
  /** Resume goals that were running when Overseer stopped, at the next start (else: a banner asks). */
  resumeInterruptedAtStart: z.boolean().default(false),
  /** Compact a goal's session when its context is this full (0..1 of the model's context window). */
  compactThreshold: z.number().gt(0).max(1).default(0.8),
  /** Counted turns between two compactions (anti-storm gap). */
  compactMinTurnsBetween: z.number().int().min(0).max(1000).default(5),
  /** A `progress` event every N counted turns; 0 turns beacons off. */
  progressEveryTurns: z.number().int().min(0).max(1000).default(0),
  /** Also show each progress beacon as a desktop notification. */
  progressNotify: z.boolean().default(false),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

export const DEFAULT_RUN_SETTINGS: RunSettings = RunSettingsSchema.parse({});
