// Recovery at start, after a host that died (crash, SIGKILL, power loss): recorded claude processes
// still alive (same pid AND start time) are stopped; goals left running become `interrupted` with a
// driver_warning event saying so; paused and sleeping goals keep their status (the host reattaches
// them: paused stays paused, sleeping sleeps until its wake time); open turns are marked
// interrupted; pending permission requests expire. resumeInfo gives what the driver needs to
// reattach a goal, with the wake time of a sleeping one.
import { z } from 'zod';
import type { BudgetUsage, Goal, GoalStatus } from '../../shared/domain/goal.js';
import {
  type SessionBinding,
  processStartTime,
  stopProcess,
  type StopOptions,
  type StopResult,
} from '../driver/index.js';
import { type StoreContext } from './context.js';
import type { EventLog } from './event-log.js';
import type { GoalStore } from './goal-store.js';
import type { SqlitePermissionRecordStore } from './permission-store.js';
import type { LIVE_GOAL_STATUSES } from './projections.js';

/** Of the live statuses, only a running goal is interrupted by a restart; paused and sleeping keep theirs. */
const INTERRUPTED_ON_RESTART: (typeof LIVE_GOAL_STATUSES)[number] = 'running';
import { parseRows } from './rows.js';
import type { SqliteSessionBindingStore } from './session-store.js';
import type { TranscriptStore } from './transcript-store.js';

export interface InterruptedGoal {
  goalId: string;
  previousStatus: 'running';
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
  /** For a sleeping goal: when its sleep started and ends (ms since the epoch), and why. */
  sleep: GoalSleep | null;
}

export interface GoalSleep {
  startedAt: number;
  wakeAt: number;
  reason: string;
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
  status: z.literal('running'),
});
const SleepEventRowSchema = z.object({ at: z.string(), payload: z.string() });
const SleepPayloadSchema = z.object({
  kind: z.literal('sleep_started'),
  durationMs: z.number().int().nonnegative(),
  reason: z.string(),
});

/**
 * Marks every turn a stopped host left open as interrupted. Its condition is the one the partial
 * index `turns_open` covers (migration 7), so it touches the open turns only, not every turn ever run.
 */
export const INTERRUPT_OPEN_TURNS_SQL =
  "UPDATE turns SET status = 'interrupted', ended_at = COALESCE(ended_at, ?) WHERE status IN ('pending', 'running')";

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
    ctx.db.prepare(`SELECT id, status FROM goals WHERE status = ?`).all(INTERRUPTED_ON_RESTART),
    ctx.report,
  );
  const at = now.toISOString();
  const interruptedGoals: InterruptedGoal[] = [];
  for (const goal of live) {
    const warningSeq = deps.events.append({
      kind: 'driver_warning',
      goalId: goal.id,
      message: 'Overseer stopped while this goal was running; marked interrupted. It can be resumed.',
    });
    interruptedGoals.push({ goalId: goal.id, previousStatus: goal.status, warningSeq });
  }
  const markInterrupted = ctx.db.prepare(
    "UPDATE goals SET status = 'interrupted', updated_at = ? WHERE id = ? AND status = 'running'",
  );
  const interruptTurns = ctx.db.prepare(INTERRUPT_OPEN_TURNS_SQL);
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
export function resumeInfo(
  deps: Pick<RecoveryDeps, 'ctx' | 'goals' | 'sessionBindings'>,
  goalId: string,
): ResumeInfo | null {
  const record = deps.goals.get(goalId);
  if (record === null) return null;
  return {
    goal: record.goal,
    status: record.status,
    usage: record.usage,
    totalTurns: record.totalTurns,
    sessionBinding: deps.sessionBindings.get(goalId),
    sleep: record.status === 'sleeping' ? lastSleep(deps.ctx, goalId) : null,
  };
}

/** The goal's last sleep_started event as a wake time (null when there is none or it is unreadable). */
function lastSleep(ctx: StoreContext, goalId: string): GoalSleep | null {
  ctx.queue.flushQuietly();
  const row = ctx.db
    .prepare("SELECT at, payload FROM events WHERE goal_id = ? AND kind = 'sleep_started' ORDER BY seq DESC LIMIT 1")
    .get(goalId);
  if (row === undefined) return null;
  const parsed = SleepEventRowSchema.safeParse(row);
  if (!parsed.success) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(parsed.data.payload);
  } catch {
    return null;
  }
  const event = SleepPayloadSchema.safeParse(payload);
  const startedAt = Date.parse(parsed.data.at);
  if (!event.success || Number.isNaN(startedAt)) return null;
  return { startedAt, wakeAt: startedAt + event.data.durationMs, reason: event.data.reason };
}
