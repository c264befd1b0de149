// A permission decision in plain words, as the timeline's decision chip and the goal's permission
// log say it: who decided (the operator, or the console that decided by name when a runner's goal
// was answered over NATS, "(you)" when that console is this one; a rule by its own text, the goal's mode), what happened to a request
// nobody decided (the turn or goal ended while it waited, Overseer restarted), and for an allow
// with edits what changed.
import type { DecidedBy, PermissionDecision, PermissionRule } from '../../shared/domain/permission';
import { inputChanges, type FieldChange } from '../lib/input-changes';

/** Characters kept per side of an edited field in memory. */
const CHANGE_CHARS = 800;

export type DecisionTone = 'good' | 'error' | 'muted';

export interface DecisionSummary {
  allowed: boolean;
  /** Claude's message on a deny. */
  message: string;
  /** Who decided, in words; a rule is resolved to its text by `decisionText`. */
  by: string;
  /** The console that decided, when one named itself (a runner's goal answered over NATS). */
  byConsole: string | null;
  ruleId: string | null;
  /** The operator allowed with edits; `changes` lists them. */
  edited: boolean;
  changes: FieldChange[];
  /** Denied and the turn ended. */
  endedTurn: boolean;
  /** Nobody decided: the request ended with its turn or goal, or timed out, or Overseer restarted. */
  undecided: 'cancelled' | 'timeout' | 'expired' | null;
  /** The host's reason when undecided (shown as a tooltip). */
  detail: string;
}

export function decidedByLabel(by: DecidedBy): string {
  switch (by.kind) {
    case 'operator':
      // A console that forwarded the answer to a runner named itself; a local answer stays "operator".
      return by.name ?? 'operator';
    case 'rule':
      return 'rule';
    case 'mode':
      return `permission mode “${by.mode}”`;
    case 'timeout':
      return 'timeout';
    case 'expired':
      return 'expiry';
    case 'unavailable':
      return 'nobody';
  }
}

function clipSide(text: string | null): string | null {
  return text === null || text.length <= CHANGE_CHARS ? text : `${text.slice(0, CHANGE_CHARS)}…`;
}

/** `original` is Claude's input as asked, when known (an allow that differs from it is an edit). */
export function summarizeDecision(
  decision: PermissionDecision,
  by: DecidedBy,
  original?: Record<string, unknown>,
): DecisionSummary {
  const undecided: DecisionSummary['undecided'] =
    by.kind === 'unavailable'
      ? 'cancelled'
      : by.kind === 'timeout'
        ? 'timeout'
        : by.kind === 'expired'
          ? 'expired'
          : null;
  const base = {
    by: decidedByLabel(by),
    byConsole: by.kind === 'operator' ? (by.name ?? null) : null,
    ruleId: by.kind === 'rule' ? by.ruleId : null,
    undecided,
    detail: by.kind === 'unavailable' ? by.reason : '',
  };
  if (decision.behavior === 'allow') {
    const changes =
      original === undefined
        ? []
        : inputChanges(original, decision.updatedInput).map((change) => ({
            ...change,
            before: clipSide(change.before),
            after: clipSide(change.after),
          }));
    return { ...base, allowed: true, message: '', edited: changes.length > 0, changes, endedTurn: false };
  }
  return {
    ...base,
    allowed: false,
    message: decision.message,
    edited: false,
    changes: [],
    endedTurn: decision.interrupt,
  };
}

/** A rule's own words: "allow Bash git status*", or where a goal's rules file decided. */
export function ruleText(ruleId: string, rules: readonly PermissionRule[] | undefined): string {
  const stored = rules?.find((rule) => rule.id === ruleId);
  if (stored !== undefined) return `“${stored.decision} ${stored.tool} ${stored.pattern ?? 'any input'}”`;
  const fromFile = /^(.*)#(\d+|unmatched)$/.exec(ruleId);
  if (fromFile !== null) {
    return fromFile[2] === 'unmatched'
      ? `the goal's rules (${fromFile[1]}: none matched)`
      : `the goal's rule ${Number(fromFile[2]) + 1} (${fromFile[1]})`;
  }
  return '(since deleted)';
}

/**
 * The decision chip's text and tone. `thisConsole` is this console's own name on NATS (when it
 * has one): a decision it made reads "allowed by laptop (you)".
 */
export function decisionText(
  summary: DecisionSummary,
  rules?: readonly PermissionRule[],
  thisConsole?: string | null,
): { text: string; tone: DecisionTone } {
  switch (summary.undecided) {
    case 'cancelled':
      return { text: 'cancelled while waiting for approval (not run)', tone: 'muted' };
    case 'timeout':
      return { text: `denied: nobody decided in time`, tone: 'error' };
    case 'expired':
      return { text: 'expired: Overseer restarted while it waited (not run)', tone: 'muted' };
    case null:
      break;
  }
  const you = summary.byConsole !== null && summary.byConsole === thisConsole;
  const by =
    summary.ruleId !== null ? `rule ${ruleText(summary.ruleId, rules)}` : `${summary.by}${you ? ' (you)' : ''}`;
  if (summary.allowed) return { text: `allowed${summary.edited ? ' with edits' : ''} by ${by}`, tone: 'good' };
  const message = summary.message === '' ? '' : `: ${summary.message}`;
  return { text: `denied by ${by}${message}${summary.endedTurn ? ' (turn ended)' : ''}`, tone: 'error' };
}
