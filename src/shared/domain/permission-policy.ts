// A goal's own permission rules (`overseer run --permissions rules:FILE`): tried in order before
// stored rules; the first match decides, and `unmatched` says what happens when none matches.
// Parsing a rules file (and its error messages) lives in src/main/permission/rules-file.ts.
import { z } from 'zod';

export const GoalRuleSchema = z.strictObject({
  /** Exact tool name, or "*" for any tool. */
  tool: z.string().min(1),
  /** Glob on the main argument (as stored rules match it, src/main/permission/rules.ts); absent or null = any call of the tool. */
  pattern: z.string().min(1).nullable().default(null),
  decision: z.enum(['allow', 'deny']),
  /** What Claude is told when this rule denies. */
  message: z.string().min(1).nullable().default(null),
});
export type GoalRule = z.infer<typeof GoalRuleSchema>;

/** A goal's own rules, tried before stored rules; `unmatched` says what happens when none matches. */
export const GoalPermissionPolicySchema = z.object({
  /** Where the rules came from (shown in messages and used in rule ids), e.g. the file path. */
  source: z.string().min(1),
  rules: z.array(GoalRuleSchema),
  /** deny: a call no rule matches is denied with `unmatchedMessage`; fall_through: stored rules, then the mode. */
  unmatched: z.enum(['deny', 'fall_through']).default('deny'),
  unmatchedMessage: z.string().nullable().default(null),
});
export type GoalPermissionPolicy = z.infer<typeof GoalPermissionPolicySchema>;
