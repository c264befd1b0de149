// The driver's ports: what the goal loop needs from the rest of the host (event sink, stores,
// workspace manager, permission path). The driver depends only on these interfaces; the host wires
// the real implementations (src/main/store, src/main/workspace, src/main/permission) into them.
import type { DiffStat, Goal, GoalId } from '../../shared/domain/goal.js';
import type { PermissionDecision } from '../../shared/domain/permission.js';
import type { DriverEvent } from '../../shared/events.js';
import type { PermissionPromptAnswer } from './permission-answer.js';

/** Receives every driver event, in order. Must not throw (errors are the sink's own business). */
export interface EventSink {
  publish(event: DriverEvent): void;
}

/** A Claude Code session bound to a goal: the next turn resumes it. */
export interface SessionBinding {
  goalId: GoalId;
  sessionId: string;
  model: string | null;
  workspace: string | null;
  createdAt: string;
  updatedAt: string;
  lastActiveAt: string;
}

/** Session bindings: get returns only valid bindings (an invalidated session is never resumed). */
export interface SessionBindingStore {
  get(goalId: GoalId): SessionBinding | null;
  upsert(binding: { goalId: GoalId; sessionId: string; model: string | null; workspace: string | null }): void;
  markInvalid(goalId: GoalId): void;
}

/**
 * After the operator rolled the files back, the conversation must forget the undone turns too: the
 * next work turn resumes `sessionId` at message `resumeAt` (`--resume-session-at`, forking a new
 * session), or, with resumeAt null, starts a fresh session. `note` leads that turn's prompt.
 */
export interface SessionRewind {
  goalId: GoalId;
  sessionId: string | null;
  resumeAt: string | null;
  note: string;
}

export interface SessionRewindStore {
  pending(goalId: GoalId): SessionRewind | null;
  /** The rewind happened (a new session exists): forget it. */
  clear(goalId: GoalId): void;
  /** The CLI could not resume at the message: the next attempt starts a fresh session instead. */
  fallBackToFresh(goalId: GoalId): void;
}

export interface CompactSummary {
  goalId: GoalId;
  summary: string;
  turnIndex: number;
  beforeTokens: number;
  afterTokens: number;
  storedAt: string;
}

export interface CompactSummaryStore {
  store(summary: CompactSummary): void;
  load(goalId: GoalId): CompactSummary | null;
}

/** Raw transcript lines of each turn, and the claude process of the running turn (for recovery). */
export interface TranscriptSink {
  appendLine(goalId: GoalId, turnIndex: number, line: string): void;
  /** `startedAt`: when it was spawned (ISO). The host records the kernel's start time of `pid` instead, for recovery. */
  recordProcess(goalId: GoalId, turnIndex: number, pid: number, startedAt: string): void;
  clearProcess(goalId: GoalId): void;
}

/** A goal's working directory. */
export interface Workspace {
  goalId: GoalId;
  /** Absolute path Claude runs in. */
  path: string;
  /** The repository it belongs to. */
  repoPath: string;
  /** worktree: a git worktree on `branch`; in_place: the repo's own tree; no_git: no diffs. */
  kind: 'worktree' | 'in_place' | 'no_git';
  branch: string | null;
  /** Commit the goal started from (for the cumulative diff). */
  baseCommit: string | null;
}

export interface Checkpoint {
  /** e.g. refs/overseer/<goal id>/3-pre */
  ref: string;
  /** commit sha of the snapshot */
  sha: string;
}

export interface CheckpointOptions {
  onSnapshot?: () => void;
}

export interface WorkspacePort {
  /** Creates (or, on reattach, reopens) the goal's workspace. */
  ensure(goal: Goal): Promise<Workspace>;
  /**
   * Snapshots the whole working tree into refs/overseer/<goal>/<turn>-<phase>. `onSnapshot` (if
   * given) is called once the working tree has been read, before the commit and ref are written:
   * from then on the files may change without changing this checkpoint.
   */
  checkpoint(ws: Workspace, turnIndex: number, phase: 'pre' | 'post', options?: CheckpointOptions): Promise<Checkpoint>;
  /** Stat of the change between two snapshots. */
  diffStat(ws: Workspace, fromSha: string, toSha: string): Promise<DiffStat>;
  /** Restores the working tree to a snapshot exactly. */
  rollback(ws: Workspace, sha: string): Promise<void>;
}

/** The MCP server entry Claude Code must start for a goal (goes into the per-goal --mcp-config file). */
export interface McpServerSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A decision the permission path made for a goal, reported so the driver can count denies. */
export interface PermissionDecisionNotice {
  goalId: GoalId;
  requestId: string;
  toolName: string;
  decision: PermissionDecision;
  /** The request was aborted (bridge gone, turn stopped, goal closed), not denied by anyone: not a deny. */
  aborted?: boolean;
}

/** A permission prompt Claude Code sent on its own stdout (long-lived mode's stdio prompts). */
export interface PermissionPrompt {
  toolName: string;
  input: Record<string, unknown>;
  toolUseId: string;
}

/** Answers a goal's permission prompts in this process (what the bridge's socket leads to otherwise). */
export interface PermissionPrompts {
  /**
   * Decides a prompt exactly as one that came through the goal's bridge: rules, the goal's mode, or the
   * operator, recorded before the answer is given. `signal` aborts it (Claude cancelled it or ended).
   */
  ask(prompt: PermissionPrompt, signal: AbortSignal): Promise<PermissionPromptAnswer>;
}

export interface PermissionGoalHandle extends PermissionPrompts {
  /** How Claude reaches our permission server for this goal. */
  mcpServer: McpServerSpec;
  /** Called for every decision on this goal's requests. Returns an unsubscribe function. */
  onDecision(listener: (notice: PermissionDecisionNotice) => void): () => void;
  /** True while a request of this goal waits for the operator (the turn's idle clock stops then). */
  awaitingOperator?(): boolean;
  /** Tell the permission path which turn is running (recorded with requests). */
  setTurn(turnIndex: number | null): void;
  /** The goal ended: pending requests of this goal are denied, the secret is revoked. */
  close(reason: string): void;
}

export interface PermissionPort {
  openGoal(goal: Goal, workspace: Workspace): PermissionGoalHandle;
}
