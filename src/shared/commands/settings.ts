// Settings commands: read and change the console's settings, and check a Claude Code binary.
import { z } from 'zod';
import { BudgetGuardsSchema, PermissionModeSchema } from '../domain/goal.js';
import { RunSettingsSchema } from '../domain/run-settings.js';

export const SettingsSchema = z.object({
  /** Path to the claude binary; null = find it (PATH, login shell). */
  claudeBinary: z.string().nullable(),
  defaultBudget: BudgetGuardsSchema,
  defaultPermissionMode: PermissionModeSchema,
  defaultModel: z.string().nullable(),
  /** How goals run: admission, restart, compaction threshold, progress beacons. */
  running: RunSettingsSchema,
  /** Command that opens a goal's folder ("Open in editor", `overseer open --editor`); null: detect one. */
  editorCommand: z.string().trim().min(1, 'write a command, or leave it empty to detect one').nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsCommands = {
  'settings.get': { request: z.object({}).strict(), response: SettingsSchema },
  'settings.update': { request: SettingsSchema.partial().strict(), response: SettingsSchema },
  'claude.check': {
    request: z.object({ path: z.string().nullable().default(null) }).strict(),
    response: z.object({
      found: z.boolean(),
      path: z.string().nullable(),
      version: z.string().nullable(),
      message: z.string(),
      /** Set when the CLI is older than the oldest Claude Code release Overseer was tried with. */
      warning: z.string().nullable().optional(),
    }),
  },
} as const;
