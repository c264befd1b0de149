// A goal's own permission rules: the `--permissions rules:FILE` JSON array
// (`{"tool":"Bash","pattern":"git status*","decision":"allow"}`, `{"tool":"Write","decision":"deny","message":"..."}`),
// parsed with zod (errors name the index and the field), first match wins, and what no rule matches is
// denied with a message saying so. The policy travels in the goal's metadata so it survives a restart.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  GoalPermissionPolicySchema,
  GoalRuleSchema,
  type GoalPermissionPolicy,
  type GoalRule,
} from '../../shared/domain/permission-policy.js';

// The schemas are part of the contract (goal.create carries a policy): src/shared owns them.
export { GoalPermissionPolicySchema, GoalRuleSchema, type GoalPermissionPolicy, type GoalRule };

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
    throw new RulesFileError(
      `${source}: expected a JSON array of rules, e.g. [{"tool":"Bash","pattern":"git status*","decision":"allow"}]`,
    );
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
    throw new RulesFileError(
      `cannot read rules file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseRulesText(text, path);
}

/** First rule that matches, with its index. */
export function firstMatchingRule<T>(
  rules: readonly T[],
  matches: (rule: T) => boolean,
): { rule: T; index: number } | null {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule !== undefined && matches(rule)) return { rule, index };
  }
  return null;
}

/** goal.metadata with the policy set (for the CLI creating a goal with `--permissions rules:FILE`). */
export function withGoalPolicy(
  metadata: Record<string, unknown>,
  policy: GoalPermissionPolicy,
): Record<string, unknown> {
  return { ...metadata, [POLICY_METADATA_KEY]: policy };
}

/** The policy kept in goal.metadata, if any. A malformed one is an error (never silently ignored). */
export function goalPolicyFromMetadata(metadata: Record<string, unknown>): GoalPermissionPolicy | null {
  const raw = metadata[POLICY_METADATA_KEY];
  if (raw === undefined || raw === null) return null;
  const parsed = GoalPermissionPolicySchema.safeParse(raw);
  if (!parsed.success)
    throw new RulesFileError(`goal metadata ${POLICY_METADATA_KEY} is malformed: ${parsed.error.message}`);
  return parsed.data;
}
