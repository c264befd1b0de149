// What the turn loop of one goal works with: its context (the goal, its state, the ports and policies
// it uses) and its progress (what the driver reads to build the goal's outcome), and the kinds of turn
// it can run next (a work turn, or a compact turn with the event that announces it).
import type { AcceptanceVerdict, BudgetUsage, Goal } from '../../shared/domain/goal.js';
import type { DriverEvent } from '../../shared/events.js';
import type { AttemptRunner } from './attempt-port.js';
import type { AutoCompactionConfig, CompactPolicy } from './compact.js';
import type { GoalState } from './goal-state.js';
import type {
  CompactSummaryStore,
  PermissionGoalHandle,
  SessionBindingStore,
  SessionRewindStore,
  Workspace,
  WorkspacePort,
} from './ports.js';
import type { ReplayPolicy } from './replay.js';
import type { ResumedSleep } from './resume-sleep.js';

export interface GoalLoopContext {
  goal: Goal;
  state: GoalState;
  workspace: Workspace;
  permission: PermissionGoalHandle;
  mcpConfigPath: string | null;
  runner: AttemptRunner;
  publish: (event: DriverEvent) => void;
  bindings: SessionBindingStore;
  workspaces: WorkspacePort;
  compactSummaries: CompactSummaryStore | null;
  replay: ReplayPolicy;
  compactPolicy: CompactPolicy;
  autoCompaction: AutoCompactionConfig | null;
  contextWindow: number;
  progressEveryTurns: number;
  startedAt: number;
  /** Reattached after a restart while sleeping: sleep on until the wake time first. */
  resumeSleep?: ResumedSleep | null;
  /** Rewinds left by a rollback (the next work turn carries the note; the attempt forks the session). */
  rewinds?: SessionRewindStore | null;
}

/** What the loop has done so far; the driver reads it to build the GoalOutcome, also after a throw. */
export interface GoalProgress {
  usage: BudgetUsage;
  totalTurns: number;
  finalText: string | null;
  lastAcceptance: AcceptanceVerdict | null;
}

export type NextTurn =
  | { kind: 'work'; tickPrompt: string | null }
  | { kind: 'compact'; focus: string; beforeTokens: number; requested: CompactRequestedEvent };

export type CompactRequestedEvent = Extract<DriverEvent, { kind: 'compact_requested' }>;
