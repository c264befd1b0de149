// Permission inbox and rule commands.
import { z } from 'zod';
import { GoalIdSchema } from '../domain/goal.js';
import { PermissionRecordSchema, PermissionRuleSchema, RuleScopeSchema } from '../domain/permission.js';

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
    request: z
      .object({
        requestId: z.string().min(1),
        action: OperatorActionSchema,
        /** Which console decided (its name); set by a console forwarding the answer to a runner over NATS. */
        decidedBy: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
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
} as const;
