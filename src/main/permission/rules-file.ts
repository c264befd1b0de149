// A goal's own permission rules: the `--permissions rules:FILE` JSON array
// (`{"tool":"Bash","pattern":"git status*","decision":"allow"}`, `{"tool":"Write","decision":"deny","message":"..."}`),
// parsed with zod (errors name the index and the field), first match wins, and what no rule matches is
// denied with a message saying so. The policy travels in the goal's metadata so it survives a restart.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const GoalRuleSchema = z.strictObject({
  /** Exact tool name, or "*" for any tool. */
  tool: z.string().min(1),
  /** Glob on the main argument (see rules.ts); absent or null = any call of the tool. */
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

/** Key under which the policy is kept in `goal.metadata`. */
export const POLICY_METADATA_KEY = 'permissionPolicy';

export class RulesFileError extends Error {
  override readonly name = 'RulesFileError';
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = 'rules';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return text;
}

/** Validates already-parsed JSON as a rules array. Throws RulesFileError naming index and field. */
export function parseRules(json: unknown, source: string): GoalRule[] {
  if (!Array.isArray(json)) {
    throw new RulesFileError(`${source}: expected a JSON array of rules, e.g. [{"tool":"Bash","pattern":"git status*","decision":"allow"}]`);
  }
  const parsed = z.array(GoalRuleSchema).safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
  throw new RulesFileError(`${source}: invalid rules:\n${lines.join('\n')}`);
}

/** Parses the text of a rules file into a goal policy that denies whatever no rule matches. */
export function parseRulesText(text: string, source: string): GoalPermissionPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesFileError(`${source}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    source,
    rules: parseRules(json, source),
    unmatched: 'deny',
    unmatchedMessage: `No rule in ${source} allows this call, so Overseer denied it.`,
  };
}

/** Reads and parses a rules file. */
export function loadRulesFile(path: string): GoalPermissionPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RulesFileError(`cannot read rules file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseRulesText(text, path);
}

/** First rule that matches, with its index. */
export function firstMatchingRule<T>(rules: readonly T[], matches: (rule: T) => boolean): { rule: T; index: number } | null {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule !== undefined && matches(rule)) return { rule, index };
  }
  return null;
}

/** goal.metadata with the policy set (for the CLI creating a goal with `--permissions rules:FILE`). */
export function withGoalPolicy(metadata: Record<string, unknown>, policy: GoalPermissionPolicy): Record<string, unknown> {
  return { ...metadata, [POLICY_METADATA_KEY]: policy };
}

/** The policy kept in goal.metadata, if any. A malformed one is an error (never silently ignored). */
export function goalPolicyFromMetadata(metadata: Record<string, unknown>): GoalPermissionPolicy | null {
  const raw = metadata[POLICY_METADATA_KEY];
  if (raw === undefined || raw === null) return null;
  const parsed = GoalPermissionPolicySchema.safeParse(raw);
  if (!parsed.success) throw new RulesFileError(`goal metadata ${POLICY_METADATA_KEY} is malformed: ${parsed.error.message}`);
  return parsed.data;
}
