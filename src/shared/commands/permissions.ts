// Permission inbox and rule commands, and settings.
import { z } from 'zod';
import { BudgetGuardsSchema, GoalIdSchema, PermissionModeSchema } from '../domain/goal.js';
import { PermissionRecordSchema, PermissionRuleSchema, RuleScopeSchema } from '../domain/permission.js';
import { RunSettingsSchema } from '../domain/run-settings.js';

const done = z.object({ ok: z.literal(true) });

/** A rule before it is saved (as the host drafts it from a request). */
export const RuleDraftSchema = z.object({
  scope: RuleScopeSchema,
  tool: z.string().min(1),
  pattern: z.string().nullable(),
  decision: z.enum(['allow', 'deny']),
});
export type RuleDraft = z.infer<typeof RuleDraftSchema>;

/**
 * How an "always allow" rule is drawn from a request: its reach, and a glob on the main argument
 * (Bash command; file path relative to the workspace). pattern null: any call of the tool;
 * omitted: exactly this request's argument.
 */
export const AlwaysAllowSchema = z
  .object({
    scope: z.enum(['goal', 'repository', 'everywhere']),
    pattern: z.string().min(1).nullable().optional(),
  })
  .strict();
export type AlwaysAllow = z.infer<typeof AlwaysAllowSchema>;

export const OperatorActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('allow') }).strict(),
  z.object({ kind: z.literal('allow_edited'), input: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ kind: z.literal('always_allow'), rule: AlwaysAllowSchema }).strict(),
  z.object({ kind: z.literal('deny'), message: z.string().trim().min(1, 'tell Claude why') }).strict(),
  z.object({ kind: z.literal('deny_stop'), message: z.string().trim().min(1, 'tell Claude why') }).strict(),
]);
export type OperatorAction = z.infer<typeof OperatorActionSchema>;

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

export const permissionCommands = {
  'permissions.pending': {
    request: z.object({}).strict(),
    response: z.object({ records: z.array(PermissionRecordSchema) }),
  },
  'permissions.forGoal': {
    request: z.object({ goalId: GoalIdSchema }).strict(),
    response: z.object({ records: z.array(PermissionRecordSchema) }),
  },
  'permission.decide': {
    request: z.object({ requestId: z.string().min(1), action: OperatorActionSchema }).strict(),
    response: done,
  },
  /** The rule "always allow" would save for a request, and which requests (pending and past) it would match. */
  'rule.preview': {
    request: z.object({ requestId: z.string().min(1), rule: AlwaysAllowSchema }).strict(),
    response: z.object({
      rule: RuleDraftSchema,
      matches: z.array(PermissionRecordSchema),
      pendingCount: z.number().int().nonnegative(),
      pastCount: z.number().int().nonnegative(),
    }),
  },
  'rules.list': { request: z.object({}).strict(), response: z.object({ rules: z.array(PermissionRuleSchema) }) },
  'rule.delete': { request: z.object({ ruleId: z.string().min(1) }).strict(), response: done },
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
