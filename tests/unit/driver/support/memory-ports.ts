// Small in-memory implementations of the driver's ports for tests: an event sink that records
// and can be waited on, session bindings, transcripts, compact summaries, a fake workspace port
// with fake shas, and a permission port whose decisions the test emits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiffStat, Goal, GoalId } from '../../../../src/shared/domain/goal.js';
import type { PermissionDecision } from '../../../../src/shared/domain/permission.js';
import type { DriverEvent, DriverEventKind } from '../../../../src/shared/events.js';
import { answerFor } from '../../../../src/main/driver/permission-answer.js';
import type {
  Checkpoint,
  CheckpointOptions,
  CompactSummary,
  CompactSummaryStore,
  EventSink,
  McpServerSpec,
  PermissionDecisionNotice,
  PermissionGoalHandle,
  PermissionPort,
  PermissionPrompt,
  SessionBinding,
  SessionBindingStore,
  TranscriptSink,
  Workspace,
  WorkspacePort,
} from '../../../../src/main/driver/ports.js';

export type EventOf<K extends DriverEventKind> = Extract<DriverEvent, { kind: K }>;

export class MemoryEventSink implements EventSink {
  readonly events: DriverEvent[] = [];
  private readonly waiters = new Set<() => void>();

  publish(event: DriverEvent): void {
    this.events.push(event);
    for (const waiter of [...this.waiters]) waiter();
  }

  of<K extends DriverEventKind>(kind: K): EventOf<K>[] {
    return this.events.filter((event): event is EventOf<K> => event.kind === kind);
  }

  kinds(): DriverEventKind[] {
    return this.events.map((event) => event.kind);
  }

  /** Resolves with the first event (already seen or future) matching `predicate`. */
  waitFor<K extends DriverEventKind>(
    kind: K,
    predicate: (event: EventOf<K>) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<EventOf<K>> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.of(kind).find(predicate);
        if (found === undefined) return false;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const waiter = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${kind} event within ${timeoutMs} ms; got: ${this.kinds().join(', ')}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      check();
    });
  }
}

export class MemoryBindings implements SessionBindingStore {
  readonly rows = new Map<GoalId, SessionBinding & { valid: boolean }>();
  readonly invalidated: GoalId[] = [];

  get(goalId: GoalId): SessionBinding | null {
    const row = this.rows.get(goalId);
    if (row === undefined || !row.valid) return null;
    const { valid: _valid, ...binding } = row;
    return binding;
  }

  upsert(binding: { goalId: GoalId; sessionId: string; model: string | null; workspace: string | null }): void {
    const now = new Date().toISOString();
    const previous = this.rows.get(binding.goalId);
    this.rows.set(binding.goalId, {
      ...binding,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      lastActiveAt: now,
      valid: true,
    });
  }

  markInvalid(goalId: GoalId): void {
    this.invalidated.push(goalId);
    const row = this.rows.get(goalId);
    if (row !== undefined) row.valid = false;
  }
}

export class MemoryTranscripts implements TranscriptSink {
  readonly lines: { goalId: GoalId; turnIndex: number; line: string }[] = [];
  readonly processes: { goalId: GoalId; turnIndex: number; pid: number; startedAt: string }[] = [];
  readonly current = new Map<GoalId, number>();

  appendLine(goalId: GoalId, turnIndex: number, line: string): void {
    this.lines.push({ goalId, turnIndex, line });
  }

  recordProcess(goalId: GoalId, turnIndex: number, pid: number, startedAt: string): void {
    this.processes.push({ goalId, turnIndex, pid, startedAt });
    this.current.set(goalId, pid);
  }

  clearProcess(goalId: GoalId): void {
    this.current.delete(goalId);
  }
}

export class MemoryCompactSummaries implements CompactSummaryStore {
  readonly stored: CompactSummary[] = [];

  store(summary: CompactSummary): void {
    this.stored.push(summary);
  }

  load(goalId: GoalId): CompactSummary | null {
    return [...this.stored].reverse().find((summary) => summary.goalId === goalId) ?? null;
  }
}

const EMPTY_DIFF: DiffStat = { files: [], added: 0, removed: 0 };

/** A workspace port over a temp dir with made-up checkpoint shas; records every call. */
export class FakeWorkspacePort implements WorkspacePort {
  readonly calls: string[] = [];
  readonly dir: string;
  private counter = 0;
  failEnsure: Error | null = null;
  /** Awaited at the start of every checkpoint (lets a test act while a checkpoint is in progress). */
  beforeCheckpoint: ((turnIndex: number, phase: 'pre' | 'post') => Promise<void>) | null = null;
  /** Awaited after the working tree was "read" (onSnapshot called), before the checkpoint completes. */
  afterSnapshot: ((turnIndex: number, phase: 'pre' | 'post') => Promise<void>) | null = null;

  constructor(readonly kind: Workspace['kind'] = 'worktree') {
    this.dir = mkdtempSync(join(tmpdir(), 'driver-ws-'));
  }

  async ensure(goal: Goal): Promise<Workspace> {
    this.calls.push('ensure');
    if (this.failEnsure !== null) throw this.failEnsure;
    return { goalId: goal.id, path: this.dir, repoPath: this.dir, kind: this.kind, branch: null, baseCommit: null };
  }

  async checkpoint(
    _ws: Workspace,
    turnIndex: number,
    phase: 'pre' | 'post',
    options: CheckpointOptions = {},
  ): Promise<Checkpoint> {
    this.calls.push(`checkpoint ${turnIndex}-${phase}`);
    await this.beforeCheckpoint?.(turnIndex, phase);
    // Like the real port: the working tree has been read; the commit and ref come after.
    options.onSnapshot?.();
    await this.afterSnapshot?.(turnIndex, phase);
    this.counter += 1;
    return { ref: `refs/overseer/test/${turnIndex}-${phase}`, sha: this.counter.toString(16).padStart(40, '0') };
  }

  async diffStat(_ws: Workspace, fromSha: string, toSha: string): Promise<DiffStat> {
    this.calls.push(`diff ${fromSha.slice(-2)}..${toSha.slice(-2)}`);
    return EMPTY_DIFF;
  }

  async rollback(_ws: Workspace, sha: string): Promise<void> {
    this.calls.push(`rollback ${sha.slice(-2)}`);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A permission port whose decisions the test emits with `decide`. */
export class FakePermissionPort implements PermissionPort {
  readonly turns: (number | null)[] = [];
  readonly closed: string[] = [];
  private readonly listeners = new Set<(notice: PermissionDecisionNotice) => void>();

  constructor(readonly mcpServer: McpServerSpec = { command: '/bin/true', args: [], env: {} }) {}

  openGoal(goal: Goal): PermissionGoalHandle {
    return {
      mcpServer: this.mcpServer,
      ask: (prompt) => {
        this.asked.push(prompt);
        return Promise.resolve(answerFor(this.answer));
      },
      onDecision: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      awaitingOperator: () => this.awaiting,
      setTurn: (turnIndex) => this.turns.push(turnIndex),
      close: (reason) => this.closed.push(`${goal.id}: ${reason}`),
    };
  }

  /** Whether a request of the goal waits for the operator (what the broker reports). */
  awaiting = false;
  /** Prompts asked in process (a long-lived Claude's stdio prompts), and the decision each gets. */
  readonly asked: PermissionPrompt[] = [];
  answer: PermissionDecision = { behavior: 'deny', message: 'no operator in this test', interrupt: false };

  decide(goalId: GoalId, decision: PermissionDecision, options: { aborted?: boolean } = {}): void {
    for (const listener of this.listeners)
      listener({
        goalId,
        requestId: 'r',
        toolName: 'Bash',
        decision,
        ...(options.aborted === true ? { aborted: true } : {}),
      });
  }
}
