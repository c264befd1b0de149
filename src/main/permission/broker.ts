// The approval broker: decides every permission request of an open goal, in this order: the goal's own
// rules (its policy), the stored rules, the goal's permission mode, then the operator (stored as pending,
// published as `permission_requested`, waited for with no timeout unless one is configured). Every
// decision is recorded in the PermissionRecordStore, published as `permission_decided` and reported to
// decision listeners (the driver counts consecutive denies; aborted requests are not denies). The
// operator's actions live here too.
import { randomUUID } from 'node:crypto';
import {
  PermissionRequestSchema,
  type DecidedBy,
  type PermissionDecision,
  type PermissionRecord,
  type PermissionRequest,
  type PermissionRule,
} from '../../shared/domain/permission.js';
import type { DriverEvent } from '../../shared/events.js';
import type { EventSink } from '../driver/index.js';
import type { CancelSignal } from './cancel-signal.js';
import { errorText, type ToolCall } from './frames.js';
import {
  PermissionRequestNotPendingError,
  previewMatches,
  ruleDraftFor,
  UnknownGoalError,
  type AlwaysAllow,
  type DecisionNotice,
  type PermissionOperator,
  type RuleDraft,
  type RulePreview,
} from './operator.js';
import { callText, decideWithoutOperator, type BrokerGoal } from './policy.js';
import type { PermissionRecordStore, RuleStore } from './ports.js';
import { mainArgument, ruleMatches, scopeCovers } from './rules.js';

export type { BrokerGoal } from './policy.js';

/**
 * A request that ended without anyone deciding it (the bridge went away, the turn was stopped, the
 * goal was closed): Claude gets a deny, but it is no verdict on the tool call and must not count as one.
 */
export function isAbortedDecision(decidedBy: DecidedBy): boolean {
  return decidedBy.kind === 'unavailable';
}

export interface PermissionBrokerOptions {
  records: PermissionRecordStore;
  rules: RuleStore;
  events: EventSink;
  /** How long an operator decision may take before the request is denied; null/undefined = no limit. */
  operatorTimeoutMs?: number | null;
  now?: () => Date;
  newId?: () => string;
}

interface OpenGoal extends BrokerGoal {
  turnIndex: number | null;
}

interface PendingRequest {
  request: PermissionRequest;
  goal: OpenGoal;
  resolve: (decision: PermissionDecision) => void;
  timer: NodeJS.Timeout | null;
}

/** How many past records a rule preview looks through. */
const PREVIEW_HISTORY_LIMIT = 500;

/** An operator's decision, naming the console that decided when one was named. */
function operator(name: string | undefined): DecidedBy {
  return name === undefined ? { kind: 'operator' } : { kind: 'operator', name };
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export class PermissionBroker implements PermissionOperator {
  private readonly goals = new Map<string, OpenGoal>();
  /** Every goal opened since start, kept after close so previews can place its past requests. */
  private readonly knownGoals = new Map<string, BrokerGoal>();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly listeners = new Set<(notice: DecisionNotice) => void>();
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: PermissionBrokerOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  // ---- goals ----

  /** Opens (or, when already open, updates) a goal. */
  openGoal(goal: BrokerGoal): void {
    const existing = this.goals.get(goal.goalId);
    this.goals.set(goal.goalId, { ...goal, turnIndex: existing?.turnIndex ?? null });
    this.knownGoals.set(goal.goalId, { ...goal });
  }

  isOpen(goalId: string): boolean {
    return this.goals.has(goalId);
  }

  /** True while a request of the goal waits for the operator. */
  awaitingOperator(goalId: string): boolean {
    for (const entry of this.pending.values()) if (entry.request.goalId === goalId) return true;
    return false;
  }

  setTurn(goalId: string, turnIndex: number | null): void {
    const goal = this.goals.get(goalId);
    if (goal !== undefined) goal.turnIndex = turnIndex;
  }

  /** Closes a goal: its pending requests are denied (and stop the turn). Returns how many. */
  closeGoal(goalId: string, reason: string): number {
    if (!this.goals.delete(goalId)) return 0;
    let count = 0;
    for (const entry of [...this.pending.values()]) {
      if (entry.request.goalId !== goalId) continue;
      this.settle(
        entry,
        {
          behavior: 'deny',
          message: `Overseer closed this goal (${reason}); the tool call was not run.`,
          interrupt: true,
        },
        { kind: 'unavailable', reason: `goal closed: ${reason}` },
      );
      count++;
    }
    return count;
  }

  /** At start: requests left pending by a dead host are marked expired. Returns how many. */
  expireAtStart(): number {
    return this.options.records.expireAllPending(this.now().toISOString());
  }

  onDecision(listener: (notice: DecisionNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- deciding ----

  /**
   * Decides a tool call of an open goal. Never rejects: every failure becomes a deny. `signal` aborts
   * a request waiting for the operator (Claude cancelled it, or its process or bridge went away); it is then recorded as denied.
   */
  async decide(goalId: string, call: ToolCall, signal?: CancelSignal): Promise<PermissionDecision> {
    const goal = this.goals.get(goalId);
    if (goal === undefined) {
      return {
        behavior: 'deny',
        message: `Overseer has no open goal ${goalId}; the tool call was denied.`,
        interrupt: false,
      };
    }
    const parsed = PermissionRequestSchema.safeParse({
      id: this.newId(),
      goalId,
      turnIndex: goal.turnIndex,
      toolName: call.toolName,
      toolUseId: call.toolUseId,
      input: call.input,
      createdAt: this.now().toISOString(),
    });
    if (!parsed.success) {
      return {
        behavior: 'deny',
        message: `Overseer could not read the permission request: ${parsed.error.message}`,
        interrupt: false,
      };
    }
    const request = parsed.data;
    const automatic = decideWithoutOperator(goal, request, this.options.rules.list());
    if (automatic !== null) {
      // Decided at once: the request and its decision are recorded in one write, before the answer
      // leaves (Claude acts on it next). A decision that cannot be recorded is not given: deny.
      try {
        this.options.records.insertDecided(request, automatic.decision, automatic.decidedBy, this.now().toISOString());
      } catch (error) {
        return {
          behavior: 'deny',
          message: `Overseer could not record the permission request: ${errorText(error)}`,
          interrupt: false,
        };
      }
      this.announce(request, automatic.decision, automatic.decidedBy);
      return automatic.decision;
    }
    try {
      this.options.records.insertPending(request);
    } catch (error) {
      return {
        behavior: 'deny',
        message: `Overseer could not record the permission request: ${errorText(error)}`,
        interrupt: false,
      };
    }
    return this.askOperator(goal, request, signal);
  }

  private askOperator(goal: OpenGoal, request: PermissionRequest, signal?: CancelSignal): Promise<PermissionDecision> {
    return new Promise<PermissionDecision>((resolve) => {
      const entry: PendingRequest = { request, goal, resolve, timer: null };
      this.pending.set(request.id, entry);
      const timeoutMs = this.options.operatorTimeoutMs;
      if (timeoutMs !== undefined && timeoutMs !== null && timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          const what = callText(request.toolName, mainArgument(request.toolName, request.input, goal.workspacePath));
          this.settle(
            entry,
            {
              behavior: 'deny',
              message: `No operator decided within ${formatDuration(timeoutMs)}, so Overseer denied ${what}.`,
              interrupt: false,
            },
            { kind: 'timeout' },
          );
        }, timeoutMs);
      }
      this.publish({ kind: 'permission_requested', goalId: request.goalId, request });
      if (signal !== undefined) {
        const onAbort = () =>
          this.settle(
            entry,
            {
              behavior: 'deny',
              message: 'Claude cancelled the request, or its way to Overseer closed, before a decision.',
              interrupt: false,
            },
            {
              kind: 'unavailable',
              reason: 'Claude cancelled the request, or its process or permission bridge went away',
            },
          );
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /** Settles a pending request once; later attempts are ignored. Returns false when it was not pending. */
  private settle(entry: PendingRequest, decision: PermissionDecision, decidedBy: DecidedBy): boolean {
    if (this.pending.get(entry.request.id) !== entry) return false;
    this.pending.delete(entry.request.id);
    if (entry.timer !== null) clearTimeout(entry.timer);
    this.finish(entry.request, decision, decidedBy);
    entry.resolve(decision);
    return true;
  }

  /** Records, publishes and reports an operator's (or a timeout's, or an abort's) decision. */
  private finish(request: PermissionRequest, decision: PermissionDecision, decidedBy: DecidedBy): void {
    const decidedAt = this.now().toISOString();
    try {
      this.options.records.recordDecision(request.id, decision, decidedBy, decidedAt);
    } catch (error) {
      this.publish({
        kind: 'driver_warning',
        goalId: request.goalId,
        message: `could not record the permission decision on ${request.toolName} (${request.id}): ${errorText(error)}`,
      });
    }
    this.announce(request, decision, decidedBy);
  }

  /** Publishes a recorded decision and reports it to the decision listeners. */
  private announce(request: PermissionRequest, decision: PermissionDecision, decidedBy: DecidedBy): void {
    // A rule or mode allows with the request's own input object: no need to compare the texts.
    const edited =
      decision.behavior === 'allow' &&
      decision.updatedInput !== request.input &&
      JSON.stringify(decision.updatedInput) !== JSON.stringify(request.input);
    this.publish({
      kind: 'permission_decided',
      goalId: request.goalId,
      requestId: request.id,
      toolName: request.toolName,
      decision,
      decidedBy,
      ...(edited ? { originalInput: request.input } : {}),
    });
    const notice: DecisionNotice = {
      goalId: request.goalId,
      requestId: request.id,
      toolName: request.toolName,
      decision,
      decidedBy,
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(notice);
      } catch {
        // A listener's failure must not undo or block the decision.
      }
    }
  }

  private publish(event: DriverEvent): void {
    try {
      this.options.events.publish(event);
    } catch {
      // The sink must not throw; if it does, the decision still stands.
    }
  }

  // ---- the operator ----

  listPending(): PermissionRecord[] {
    return [...this.pending.values()].map(({ request }) => ({
      request,
      status: 'pending',
      decision: null,
      decidedBy: null,
      decidedAt: null,
    }));
  }

  private pendingEntry(requestId: string): PendingRequest {
    const entry = this.pending.get(requestId);
    if (entry === undefined) throw new PermissionRequestNotPendingError(requestId);
    return entry;
  }

  allowOnce(requestId: string, decidedBy?: string): void {
    const entry = this.pendingEntry(requestId);
    this.settle(entry, { behavior: 'allow', updatedInput: entry.request.input }, operator(decidedBy));
  }

  allowWithEdit(requestId: string, input: Record<string, unknown>, decidedBy?: string): void {
    const entry = this.pendingEntry(requestId);
    this.settle(entry, { behavior: 'allow', updatedInput: structuredClone(input) }, operator(decidedBy));
  }

  deny(requestId: string, message: string, decidedBy?: string): void {
    const entry = this.pendingEntry(requestId);
    const text = message.trim() === '' ? 'The operator denied this tool call.' : message;
    this.settle(entry, { behavior: 'deny', message: text, interrupt: false }, operator(decidedBy));
  }

  denyAndStop(requestId: string, message: string, decidedBy?: string): void {
    const entry = this.pendingEntry(requestId);
    const text = message.trim() === '' ? 'The operator denied this tool call and stopped the turn.' : message;
    this.settle(entry, { behavior: 'deny', message: text, interrupt: true }, operator(decidedBy));
  }

  /** The rule `alwaysAllow(requestId, options)` would save. */
  draftAlwaysAllow(requestId: string, options: AlwaysAllow): RuleDraft {
    const entry = this.pendingEntry(requestId);
    return ruleDraftFor(entry.request, entry.goal, options);
  }

  /**
   * Saves an allow rule made from a pending request, allows that request, and allows every other
   * pending request the new rule matches. Returns the saved rule.
   */
  alwaysAllow(requestId: string, options: AlwaysAllow): PermissionRule {
    const entry = this.pendingEntry(requestId);
    const draft = ruleDraftFor(entry.request, entry.goal, options);
    const rule: PermissionRule = {
      id: this.newId(),
      scope: draft.scope,
      tool: draft.tool,
      pattern: draft.pattern,
      decision: 'allow',
      message: null,
      createdAt: this.now().toISOString(),
    };
    this.options.rules.add(rule);
    const decidedBy: DecidedBy = { kind: 'rule', ruleId: rule.id };
    this.settle(entry, { behavior: 'allow', updatedInput: entry.request.input }, decidedBy);
    for (const other of [...this.pending.values()]) {
      const arg = mainArgument(other.request.toolName, other.request.input, other.goal.workspacePath);
      if (scopeCovers(rule.scope, other.goal) && ruleMatches(rule, other.request.toolName, arg)) {
        this.settle(other, { behavior: 'allow', updatedInput: other.request.input }, decidedBy);
      }
    }
    return rule;
  }

  /** Which past and pending requests `draft` would match (shown before a rule is saved). */
  previewRule(draft: RuleDraft, limit = 50): RulePreview {
    const pending = this.listPending();
    const past = this.options.records
      .listRecent(PREVIEW_HISTORY_LIMIT)
      .filter((record) => !this.pending.has(record.request.id));
    return previewMatches(draft, pending, past, (goalId) => this.knownGoals.get(goalId) ?? null, limit);
  }

  /** The goal context of an open goal (for callers building rule drafts). */
  goal(goalId: string): BrokerGoal {
    const goal = this.goals.get(goalId) ?? this.knownGoals.get(goalId);
    if (goal === undefined) throw new UnknownGoalError(goalId);
    return goal;
  }
}
