// The decisions the broker makes without the operator, in order: the goal's own rules (first match
// wins; with `unmatched: deny`, what none matches is denied), the stored rules (narrowest scope first),
// then the goal's permission mode. Returns null when the operator must decide.
import type { PermissionMode } from '../../shared/domain/goal.js';
import type {
  DecidedBy,
  PermissionDecision,
  PermissionRequest,
  PermissionRule,
} from '../../shared/domain/permission.js';
import { firstMatchingRule, type GoalPermissionPolicy } from './rules-file.js';
import {
  describeArgument,
  isEditInsideWorkspace,
  mainArgument,
  orderStoredRules,
  ruleMatches,
  scopeCovers,
  type MainArgument,
} from './rules.js';

/** What the broker knows about an open goal. */
export interface BrokerGoal {
  goalId: string;
  repoPath: string;
  /** Absolute path Claude works in; file paths are matched relative to it. */
  workspacePath: string;
  mode: PermissionMode;
  /** The goal's own rules (e.g. from `--permissions rules:FILE`), tried first. */
  policy: GoalPermissionPolicy | null;
}

export interface AutomaticDecision {
  decision: PermissionDecision;
  decidedBy: DecidedBy;
}

/** "Bash (git push)": the tool and its main argument, for messages. */
export function callText(toolName: string, arg: MainArgument): string {
  const detail = describeArgument(arg);
  return detail === '' ? toolName : `${toolName} (${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail})`;
}

export function decideWithoutOperator(
  goal: BrokerGoal,
  request: PermissionRequest,
  storedRules: readonly PermissionRule[],
): AutomaticDecision | null {
  const arg = mainArgument(request.toolName, request.input, goal.workspacePath);
  const allow = (decidedBy: DecidedBy): AutomaticDecision => ({
    decision: { behavior: 'allow', updatedInput: request.input },
    decidedBy,
  });
  const deny = (message: string, decidedBy: DecidedBy): AutomaticDecision => ({
    decision: { behavior: 'deny', message, interrupt: false },
    decidedBy,
  });
  const what = callText(request.toolName, arg);

  if (goal.policy !== null) {
    const policy = goal.policy;
    const hit = firstMatchingRule(policy.rules, (rule) => ruleMatches(rule, request.toolName, arg));
    if (hit !== null) {
      const decidedBy: DecidedBy = { kind: 'rule', ruleId: `${policy.source}#${hit.index}` };
      if (hit.rule.decision === 'allow') return allow(decidedBy);
      return deny(hit.rule.message ?? `Rule ${hit.index} of ${policy.source} denies ${what}.`, decidedBy);
    }
    if (policy.unmatched === 'deny') {
      const base = policy.unmatchedMessage ?? `No rule in ${policy.source} allows this call, so Overseer denied it.`;
      return deny(`${base} Call: ${what}.`, { kind: 'rule', ruleId: `${policy.source}#unmatched` });
    }
  }

  const subject = { goalId: goal.goalId, repoPath: goal.repoPath };
  const stored = orderStoredRules(storedRules).find(
    (rule) => scopeCovers(rule.scope, subject) && ruleMatches(rule, request.toolName, arg),
  );
  if (stored !== undefined) {
    const decidedBy: DecidedBy = { kind: 'rule', ruleId: stored.id };
    if (stored.decision === 'allow') return allow(decidedBy);
    return deny(stored.message ?? `A stored Overseer rule denies ${what}.`, decidedBy);
  }

  switch (goal.mode) {
    case 'allow-all':
      return allow({ kind: 'mode', mode: 'allow-all' });
    case 'deny':
      return deny(`This goal's permission mode is 'deny': ${what} is not allowed.`, { kind: 'mode', mode: 'deny' });
    case 'allow-edits':
      return isEditInsideWorkspace(request.toolName, arg) ? allow({ kind: 'mode', mode: 'allow-edits' }) : null;
    case 'ask':
      return null;
  }
}
