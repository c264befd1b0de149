// Rules by their text on the terminal ("allow Bash \"git status*\" in this goal") instead of ids:
// stored rules from the host's rule list, a goal's own rules (`--permissions rules:FILE`, ids
// `<file>#<index>`) from the goal's policy.
import type { PermissionRule } from '../../shared/domain/permission.js';
import type { Goal } from '../../shared/domain/goal.js';
import { goalPolicyFromMetadata, type GoalPermissionPolicy, type GoalRule } from '../permission/index.js';
import type { HostClient } from './host-client/client.js';

function ruleText(rule: Pick<GoalRule, 'tool' | 'pattern' | 'decision'>): string {
  const tool = rule.tool === '*' ? 'any tool' : rule.tool;
  return `${rule.decision} ${tool}${rule.pattern === null ? '' : ` "${rule.pattern}"`}`;
}

function storedRuleText(rule: PermissionRule): string {
  const where =
    rule.scope.kind === 'goal'
      ? 'in this goal'
      : rule.scope.kind === 'repository'
        ? `in ${rule.scope.repoPath}`
        : 'everywhere';
  return `rule: ${ruleText(rule)} ${where}`;
}

export function policyRuleText(policy: GoalPermissionPolicy, ruleId: string): string | null {
  const prefix = `${policy.source}#`;
  if (!ruleId.startsWith(prefix)) return null;
  const tail = ruleId.slice(prefix.length);
  if (tail === 'unmatched') return `no rule in ${policy.source} matched`;
  const rule = policy.rules[Number(tail)];
  return rule === undefined ? null : `rule ${Number(tail) + 1} of ${policy.source}: ${ruleText(rule)}`;
}

export class RuleNames {
  private stored = new Map<string, string>();
  private policy: GoalPermissionPolicy | null = null;

  constructor(private readonly client: HostClient) {}

  useGoal(goal: Goal): void {
    this.policy = goalPolicyFromMetadata(goal.metadata);
  }

  /** Loads the stored rules when `ruleId` is not known yet (a rule saved since). */
  async ensure(ruleId: string): Promise<void> {
    if (this.stored.has(ruleId) || (this.policy !== null && policyRuleText(this.policy, ruleId) !== null)) return;
    try {
      const { rules } = await this.client.invoke('rules.list', {});
      this.stored = new Map(rules.map((rule) => [rule.id, storedRuleText(rule)]));
    } catch {
      // The id is printed instead.
    }
  }

  text(ruleId: string): string {
    const fromPolicy = this.policy === null ? null : policyRuleText(this.policy, ruleId);
    return fromPolicy ?? this.stored.get(ruleId) ?? `rule ${ruleId}`;
  }
}
