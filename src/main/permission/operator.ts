// The operator's side of the permission path: the actions an operator (inbox UI, terminal) takes on a
// pending request, the notices decisions produce, rule drafts for "always allow" and the preview of
// what a draft would match before it is saved. Implemented by PermissionBroker.
import { minimatch } from 'minimatch';
import type {
  DecidedBy,
  PermissionDecision,
  PermissionRecord,
  PermissionRequest,
  PermissionRule,
  RuleScope,
} from '../../shared/domain/permission.js';
import type { AlwaysAllow, RuleDraft } from '../../shared/commands/permissions.js';
import { mainArgument, ruleMatches, scopeCovers, type MainArgument } from './rules.js';

// How an "always allow" rule is drawn from a request, and a rule before it is saved: the contract's types.
export type { AlwaysAllow, RuleDraft } from '../../shared/commands/permissions.js';

/** A decision, as reported to listeners (the driver counts consecutive denies from these). */
export interface DecisionNotice {
  goalId: string;
  requestId: string;
  toolName: string;
  decision: PermissionDecision;
  decidedBy: DecidedBy;
}

export type RuleScopeKind = RuleScope['kind'];

export interface RulePreview {
  draft: RuleDraft;
  /** Matching records, pending first, then newest first; at most `limit`. */
  matches: PermissionRecord[];
  pendingCount: number;
  pastCount: number;
}

export interface PermissionOperator {
  /** Requests waiting for the operator in this host, oldest first. */
  listPending(): PermissionRecord[];
  /** `decidedBy` (on allowOnce, allowWithEdit, deny, denyAndStop): the deciding console's name, when it is another machine. */
  allowOnce(requestId: string, decidedBy?: string): void;
  /** Allows with the operator's input instead of Claude's (what runs is this input). */
  allowWithEdit(requestId: string, input: Record<string, unknown>, decidedBy?: string): void;
  /** Saves an allow rule from the request, allows it and every pending request the rule matches. */
  alwaysAllow(requestId: string, options: AlwaysAllow): PermissionRule;
  /** The rule alwaysAllow would save (to preview it first). */
  draftAlwaysAllow(requestId: string, options: AlwaysAllow): RuleDraft;
  /** Which past and pending requests a draft would match. */
  previewRule(draft: RuleDraft, limit?: number): RulePreview;
  /** Denies; Claude receives `message` and the turn goes on. */
  deny(requestId: string, message: string, decidedBy?: string): void;
  /** Denies and stops the turn. */
  denyAndStop(requestId: string, message: string, decidedBy?: string): void;
}

export class PermissionRequestNotPendingError extends Error {
  override readonly name = 'PermissionRequestNotPendingError';
  constructor(readonly requestId: string) {
    super(`permission request ${requestId} is not pending (unknown, or already decided)`);
  }
}

export class UnknownGoalError extends Error {
  override readonly name = 'UnknownGoalError';
  constructor(readonly goalId: string) {
    super(`the permission path does not know goal ${goalId}`);
  }
}

/** The goal facts a draft needs. */
export interface DraftGoal {
  goalId: string;
  repoPath: string;
  workspacePath: string;
}

function exactPattern(arg: MainArgument): string | null {
  switch (arg.kind) {
    case 'command':
      return minimatch.escape(arg.command);
    case 'path':
      return minimatch.escape(arg.relative ?? arg.absolute.split('\\').join('/'));
    case 'none':
      return null;
  }
}

export function scopeFor(kind: RuleScopeKind, goal: DraftGoal): RuleScope {
  switch (kind) {
    case 'goal':
      return { kind: 'goal', goalId: goal.goalId };
    case 'repository':
      return { kind: 'repository', repoPath: goal.repoPath };
    case 'everywhere':
      return { kind: 'everywhere' };
  }
}

export function ruleDraftFor(request: PermissionRequest, goal: DraftGoal, options: AlwaysAllow): RuleDraft {
  const pattern =
    options.pattern === undefined
      ? exactPattern(mainArgument(request.toolName, request.input, goal.workspacePath))
      : options.pattern === null || options.pattern.trim() === ''
        ? null
        : options.pattern;
  return { scope: scopeFor(options.scope, goal), tool: request.toolName, pattern, decision: 'allow' };
}

/**
 * The records `draft` would match: `pending` (in their order) first, then `past` newest first. Goals
 * the lookup does not know only match a goal or everywhere scope, and their paths count as outside.
 */
export function previewMatches(
  draft: RuleDraft,
  pending: readonly PermissionRecord[],
  past: readonly PermissionRecord[],
  lookupGoal: (goalId: string) => DraftGoal | null,
  limit: number,
): RulePreview {
  const matches = (record: PermissionRecord): boolean => {
    const goal = lookupGoal(record.request.goalId);
    if (goal === null && draft.scope.kind === 'repository') return false;
    const subject = { goalId: record.request.goalId, repoPath: goal?.repoPath ?? '' };
    if (!scopeCovers(draft.scope, subject)) return false;
    const arg = mainArgument(record.request.toolName, record.request.input, goal?.workspacePath ?? null);
    return ruleMatches(draft, record.request.toolName, arg);
  };
  const pendingMatches = pending.filter(matches);
  const pastMatches = past.filter(matches).sort((a, b) => b.request.createdAt.localeCompare(a.request.createdAt));
  return {
    draft,
    matches: [...pendingMatches, ...pastMatches].slice(0, limit),
    pendingCount: pendingMatches.length,
    pastCount: pastMatches.length,
  };
}
