// Permission domain: a tool call Claude asks to make, the decision on it, and stored rules.
// Used by the broker (src/main/permission), the store and the inbox UI.
import { z } from 'zod';
import { GoalIdSchema } from './goal.js';

export const PermissionRequestSchema = z.object({
  /** Our id for the request (UUID). */
  id: z.uuid(),
  goalId: GoalIdSchema,
  /** Turn the request was made in, when known. */
  turnIndex: z.number().int().nonnegative().nullable().default(null),
  toolName: z.string().min(1),
  toolUseId: z.string().default(''),
  input: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type PermissionRequest = z.infer<typeof PermissionRequestSchema>;

export const PermissionDecisionSchema = z.discriminatedUnion('behavior', [
  z.object({
    behavior: z.literal('allow'),
    /** The input that will run: the original, or the operator's edit. */
    updatedInput: z.record(z.string(), z.unknown()),
  }),
  z.object({
    behavior: z.literal('deny'),
    message: z.string(),
    /** Deny and stop the turn. */
    interrupt: z.boolean().default(false),
  }),
]);
export type PermissionDecision = z.infer<typeof PermissionDecisionSchema>;

/** Who made a decision: the operator, a stored or goal rule, the goal's mode, a timeout, a crash sweep. */
export const DecidedBySchema = z.discriminatedUnion('kind', [
  /** `name`: the console whose operator decided, when it forwarded the answer to a runner over NATS. */
  z.object({ kind: z.literal('operator'), name: z.string().min(1).max(100).optional() }),
  z.object({ kind: z.literal('rule'), ruleId: z.string() }),
  z.object({ kind: z.literal('mode'), mode: z.string() }),
  z.object({ kind: z.literal('timeout') }),
  z.object({ kind: z.literal('expired') }),
  z.object({ kind: z.literal('unavailable'), reason: z.string() }),
]);
export type DecidedBy = z.infer<typeof DecidedBySchema>;

export const RuleScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('goal'), goalId: GoalIdSchema }),
  z.object({ kind: z.literal('repository'), repoPath: z.string().min(1) }),
  z.object({ kind: z.literal('everywhere') }),
]);
export type RuleScope = z.infer<typeof RuleScopeSchema>;

export const PermissionRuleSchema = z.object({
  id: z.string(),
  scope: RuleScopeSchema,
  /** Tool name, exact ("Bash", "Write", "mcp__x__y"), or "*" for any tool. */
  tool: z.string().min(1),
  /** Glob on the main argument (Bash command; file path relative to the workspace). null = any. */
  pattern: z.string().nullable().default(null),
  decision: z.enum(['allow', 'deny']),
  /** Message Claude receives when the rule denies. */
  message: z.string().nullable().default(null),
  createdAt: z.string(),
});
export type PermissionRule = z.infer<typeof PermissionRuleSchema>;

export const PermissionRecordStatusSchema = z.enum(['pending', 'decided', 'expired']);
export type PermissionRecordStatus = z.infer<typeof PermissionRecordStatusSchema>;

/** A request with its decision once there is one (the audit log row). */
export const PermissionRecordSchema = z.object({
  request: PermissionRequestSchema,
  status: PermissionRecordStatusSchema,
  decision: PermissionDecisionSchema.nullable(),
  decidedBy: DecidedBySchema.nullable(),
  decidedAt: z.string().nullable(),
});
export type PermissionRecord = z.infer<typeof PermissionRecordSchema>;
