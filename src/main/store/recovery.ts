// Recovery at start, after a host that died (crash, SIGKILL, power loss): recorded claude processes
// still alive (same pid AND start time) are stopped; goals left running, paused or sleeping become
// `interrupted` with a driver_warning event saying so; their open turns are marked interrupted;
// pending permission requests expire. resumeInfo gives what the driver needs to reattach a goal.
import { z } from 'zod';
import type { BudgetUsage, Goal, GoalStatus } from '../../shared/domain/goal.js';
import type { SessionBinding } from '../driver/ports.js';
import { type StoreContext } from './context.js';
import type { EventLog } from './event-log.js';
import type { GoalStore } from './goal-store.js';
import type { SqlitePermissionRecordStore } from './permission-store.js';
import { processStartTime, stopProcess, type StopOptions, type StopResult } from './process-info.js';
import { LIVE_GOAL_STATUSES } from './projections.js';
import { parseRows } from './rows.js';
import type { SqliteSessionBindingStore } from './session-store.js';
import type { TranscriptStore } from './transcript-store.js';

export interface InterruptedGoal {
  goalId: string;
  previousStatus: GoalStatus;
  /** Seq of the driver_warning event logged for it. */
  warningSeq: number;
}

export interface RecoveredProcess {
  goalId: string;
  turnIndex: number;
  pid: number;
  /** not_running: no live process with that pid and start time (gone, or the pid was reused). */
  result: StopResult | 'not_running';
}

export interface RecoverySummary {
  interruptedGoals: InterruptedGoal[];
  processes: RecoveredProcess[];
  expiredPermissionRequests: number;
  /** Turns that were open (pending/running) and are now interrupted. */
  interruptedTurns: number;
}

export interface ResumeInfo {
  goal: Goal;
  status: GoalStatus;
  usage: BudgetUsage;
  /** Counted turns so far: the next turn's index. */
  totalTurns: number;
  /** The valid session binding to resume with (--resume), or null to start a fresh session. */
  sessionBinding: SessionBinding | null;
}

export interface RecoveryDeps {
  ctx: StoreContext;
  goals: GoalStore;
  events: EventLog;
  transcripts: TranscriptStore;
  permissions: SqlitePermissionRecordStore;
  sessionBindings: SqliteSessionBindingStore;
}

const LiveGoalRowSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'paused', 'sleeping']),
});

export async function recoverAtStart(
  deps: RecoveryDeps,
  now: Date = deps.ctx.now(),
  options: StopOptions = {},
): Promise<RecoverySummary> {
  const { ctx } = deps;
  ctx.queue.flush();

  const processes: RecoveredProcess[] = [];
  for (const record of deps.transcripts.recordedProcesses()) {
    const alive = processStartTime(record.pid) === record.processStartedAt;
    const result = alive ? await stopProcess(record.pid, record.processStartedAt, options) : 'not_running';
    processes.push({ goalId: record.goalId, turnIndex: record.turnIndex, pid: record.pid, result });
    deps.transcripts.clearProcess(record.goalId);
  }

  const live = parseRows(
    'goals',
    LiveGoalRowSchema,
    ctx.db
      .prepare(`SELECT id, status FROM goals WHERE status IN (${LIVE_GOAL_STATUSES.map(() => '?').join(', ')})`)
      .all(...LIVE_GOAL_STATUSES),
    ctx.report,
  );
  const at = now.toISOString();
  const interruptedGoals: InterruptedGoal[] = [];
  for (const goal of live) {
    const warningSeq = deps.events.append({
      kind: 'driver_warning',
      goalId: goal.id,
      message: `Overseer stopped while this goal was ${goal.status}; marked interrupted. It can be resumed.`,
    });
    interruptedGoals.push({ goalId: goal.id, previousStatus: goal.status, warningSeq });
  }
  const markInterrupted = ctx.db.prepare(
    "UPDATE goals SET status = 'interrupted', updated_at = ? WHERE id = ? AND status IN ('running', 'paused', 'sleeping')",
  );
  const interruptTurns = ctx.db.prepare(
    "UPDATE turns SET status = 'interrupted', ended_at = COALESCE(ended_at, ?) WHERE status IN ('pending', 'running')",
  );
  const interruptedTurns = ctx.db.transaction(() => {
    for (const goal of interruptedGoals) markInterrupted.run(at, goal.goalId);
    return interruptTurns.run(at).changes;
  });
  // The warnings commit first, then the status change: a crash in between leaves the goal live and
  // the next start interrupts it again (one more warning), never a silent interrupted goal.
  ctx.queue.flush();
  const turns = interruptedTurns();

  const expiredPermissionRequests = deps.permissions.expireAllPending(at);
  return { interruptedGoals, processes, expiredPermissionRequests, interruptedTurns: turns };
}

/** What the driver needs to reattach a goal: the goal, its usage and turn count, and its session. */
export function resumeInfo(deps: Pick<RecoveryDeps, 'goals' | 'sessionBindings'>, goalId: string): ResumeInfo | null {
  const record = deps.goals.get(goalId);
  if (record === null) return null;
  return {
    goal: record.goal,
    status: record.status,
    usage: record.usage,
    totalTurns: record.totalTurns,
    sessionBinding: deps.sessionBindings.get(goalId),
  };
}
