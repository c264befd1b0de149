// Projections: the goals, turns and landings tables kept up to date from driver events, inside the
// same transaction that appends the event. Permission request rows are not projected: the permission
// broker is their one writer (store/permission-store.ts), because it must record a request before it
// answers Claude and it decides many requests (rules, modes) that no `permission_requested` event
// announces. Each event's projection runs
// in a savepoint: if it fails (say, an event for a goal that was never started) the event is still
// logged, the projection is rolled back and the error reported.
import { z } from 'zod';
import {
  GoalSchema,
  statusForOutcome,
  ZERO_USAGE,
  type BudgetUsage,
  type Goal,
  type GoalStatus,
} from '../../shared/domain/goal.js';
import type { DriverEvent } from '../../shared/events.js';
import type { Database } from './database.js';
import { parseOptionalRow } from './rows.js';

/** Statuses a goal does not leave through pause/resume/sleep events. */
export const TERMINAL_GOAL_STATUSES: readonly GoalStatus[] = [
  'done',
  'budget_exhausted',
  'escalated',
  'cancelled',
  'failed',
];

/** Statuses that mean "a host was driving this goal" (recovery turns them into interrupted). */
export const LIVE_GOAL_STATUSES: readonly GoalStatus[] = ['running', 'paused', 'sleeping'];

const terminalList = TERMINAL_GOAL_STATUSES.map((status) => `'${status}'`).join(', ');

const LatestAttemptSchema = z.object({
  attempt: z.number().int().positive(),
  status: z.string(),
  started_at: z.string().nullable(),
});
const GoalJsonRowSchema = z.object({ goal_json: z.string() });

/** Kinds that change projected tables (others are only logged). */
const PROJECTED_KINDS = new Set<DriverEvent['kind']>([
  'goal_started',
  'goal_completed',
  'attempt_started',
  'attempt_completed',
  'progress',
  'budget_exhausted',
  'goal_paused',
  'goal_queued',
  'goal_resumed',
  'sleep_started',
  'turn_limit_raised',
  'checkpoint',
  'setup_started',
  'setup_finished',
  'goal_landed',
  'budget_paused',
  'budget_extended',
  'goal_continued',
]);

export class Projector {
  private readonly upsertStartedGoal;
  private readonly setUsage;
  private readonly setLiveStatus;
  private readonly completeGoal;
  private readonly interruptOpenTurns;
  private readonly latestAttempt;
  private readonly insertTurn;
  private readonly startPreparedTurn;
  private readonly completeTurn;
  private readonly setPreCheckpoint;
  private readonly setPostCheckpoint;
  private readonly goalJson;
  private readonly setGoalJson;
  private readonly insertLanding;
  private readonly setPausedAtCap;
  private readonly reopenGoal;
  private readonly applyInSavepoint: (event: DriverEvent, at: string) => void;

  constructor(db: Database) {
    this.upsertStartedGoal = db.prepare(`
      INSERT INTO goals (id, description, repo_path, goal_json, status, usage_json, total_turns, tokens, cost_usd,
                         created_at, updated_at)
      VALUES (@id, @description, @repoPath, @goalJson, 'running', @usageJson, 0, 0, 0, @createdAt, @at)
      ON CONFLICT(id) DO UPDATE SET description = excluded.description, repo_path = excluded.repo_path,
        goal_json = excluded.goal_json, status = 'running', outcome_json = NULL, ended_at = NULL, paused_at_cap = NULL,
        updated_at = excluded.updated_at`);
    this.setUsage = db.prepare(`
      UPDATE goals SET usage_json = @usageJson, total_turns = @turns, tokens = @tokens, cost_usd = @cost,
        updated_at = @at WHERE id = @goalId`);
    this.setLiveStatus = db.prepare(`
      UPDATE goals SET status = @status, updated_at = @at WHERE id = @goalId AND status NOT IN (${terminalList})`);
    this.setPausedAtCap = db.prepare(`
      UPDATE goals SET paused_at_cap = @axis, status = CASE WHEN @axis IS NULL THEN status ELSE 'paused' END, updated_at = @at
      WHERE id = @goalId AND status NOT IN (${terminalList})`);
    this.reopenGoal = db.prepare(`
      UPDATE goals SET status = 'interrupted', outcome_json = NULL, ended_at = NULL, paused_at_cap = NULL, updated_at = @at
      WHERE id = @goalId`);
    this.completeGoal = db.prepare(`
      UPDATE goals SET status = @status, outcome_json = @outcomeJson, usage_json = @usageJson, paused_at_cap = NULL,
        total_turns = @turns, tokens = @tokens, cost_usd = @cost, updated_at = @at, ended_at = @at
      WHERE id = @goalId`);
    this.interruptOpenTurns = db.prepare(`
      UPDATE turns SET status = 'interrupted', ended_at = COALESCE(ended_at, @at)
      WHERE goal_id = @goalId AND status IN ('pending', 'running')`);
    this.latestAttempt = db.prepare(
      'SELECT attempt, status, started_at FROM turns WHERE goal_id = ? AND turn_index = ? ORDER BY attempt DESC LIMIT 1',
    );
    this.insertTurn = db.prepare(`
      INSERT INTO turns (goal_id, turn_index, attempt, status, compact, prompt, usage_before_json, started_at)
      VALUES (@goalId, @turnIndex, @attempt, @status, @compact, @prompt, @usageJson, @startedAt)`);
    this.startPreparedTurn = db.prepare(`
      UPDATE turns SET status = 'running', compact = @compact, prompt = @prompt, usage_before_json = @usageJson,
        started_at = @startedAt
      WHERE goal_id = @goalId AND turn_index = @turnIndex AND attempt = @attempt`);
    this.completeTurn = db.prepare(`
      UPDATE turns SET status = 'completed', outcome_json = @outcomeJson, usage_after_json = @usageJson,
        tokens = @tokens, cost_usd = @cost, permission_denials = @denials, acceptance_json = @acceptanceJson,
        final_text = @finalText, diff_stat_json = COALESCE(@diffStatJson, diff_stat_json),
        pre_sha = COALESCE(pre_sha, @preSha), post_sha = COALESCE(post_sha, @postSha),
        session_id = COALESCE(@sessionId, session_id), ended_at = @at
      WHERE goal_id = @goalId AND turn_index = @turnIndex AND attempt = @attempt`);
    this.setPreCheckpoint = db.prepare(`
      UPDATE turns SET pre_ref = @ref, pre_sha = @sha
      WHERE goal_id = @goalId AND turn_index = @turnIndex AND attempt = @attempt`);
    this.setPostCheckpoint = db.prepare(`
      UPDATE turns SET post_ref = @ref, post_sha = @sha, diff_stat_json = COALESCE(@diffStatJson, diff_stat_json)
      WHERE goal_id = @goalId AND turn_index = @turnIndex AND attempt = @attempt`);
    this.goalJson = db.prepare('SELECT goal_json FROM goals WHERE id = ?');
    this.setGoalJson = db.prepare('UPDATE goals SET goal_json = ?, updated_at = ? WHERE id = ?');
    this.insertLanding = db.prepare(`
      INSERT INTO goal_landings (goal_id, seq, landing_json, at)
      VALUES (@goalId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM goal_landings WHERE goal_id = @goalId), @landingJson, @at)`);
    this.applyInSavepoint = db.transaction((event: DriverEvent, at: string) => this.applyNow(event, at));
  }

  /** Applies `event` to the projected tables; must be called inside the batch transaction. */
  apply(event: DriverEvent, at: string): void {
    if (!PROJECTED_KINDS.has(event.kind)) return;
    this.applyInSavepoint(event, at);
  }

  private usageParams(goalId: string, usage: BudgetUsage, at: string, turns = usage.turns) {
    return { goalId, usageJson: JSON.stringify(usage), turns, tokens: usage.tokens, cost: usage.costUsd, at };
  }

  /** The attempt row an event about (goal, turn) refers to: the latest one, created when missing. */
  private latest(goalId: string, turnIndex: number) {
    return parseOptionalRow('turns', LatestAttemptSchema, this.latestAttempt.get(goalId, turnIndex));
  }

  private ensureAttempt(goalId: string, turnIndex: number, reuseCompleted: boolean): number {
    const latest = this.latest(goalId, turnIndex);
    if (latest !== null && (reuseCompleted || latest.status !== 'completed')) return latest.attempt;
    const attempt = (latest?.attempt ?? 0) + 1;
    this.insertTurn.run({
      goalId,
      turnIndex,
      attempt,
      status: 'pending',
      compact: 0,
      prompt: null,
      usageJson: null,
      startedAt: null,
    });
    return attempt;
  }

  /** Rewrites a stored goal (its budget after a raise or an extension). */
  private updateGoal(goalId: string, at: string, change: (goal: Goal) => Goal): void {
    const row = parseOptionalRow('goals', GoalJsonRowSchema, this.goalJson.get(goalId));
    if (row === null) return;
    const goal = GoalSchema.parse(JSON.parse(row.goal_json));
    this.setGoalJson.run(JSON.stringify(change(goal)), at, goalId);
  }

  private applyNow(event: DriverEvent, at: string): void {
    switch (event.kind) {
      case 'goal_started':
        this.upsertStartedGoal.run({
          id: event.goalId,
          description: event.goal.description,
          repoPath: event.goal.repoPath,
          goalJson: JSON.stringify(event.goal),
          usageJson: JSON.stringify(ZERO_USAGE),
          createdAt: event.goal.createdAt,
          at,
        });
        return;
      case 'attempt_started': {
        this.setUsage.run(this.usageParams(event.goalId, event.usage, at));
        this.setLiveStatus.run({ goalId: event.goalId, status: 'running', at });
        const latest = this.latest(event.goalId, event.turnIndex);
        const params = {
          goalId: event.goalId,
          turnIndex: event.turnIndex,
          compact: event.compact ? 1 : 0,
          prompt: event.prompt,
          usageJson: JSON.stringify(event.usage),
          startedAt: at,
        };
        if (latest !== null && latest.started_at === null && latest.status === 'pending') {
          this.startPreparedTurn.run({ ...params, attempt: latest.attempt });
        } else {
          this.insertTurn.run({ ...params, attempt: (latest?.attempt ?? 0) + 1, status: 'running' });
        }
        return;
      }
      case 'attempt_completed': {
        const result = event.result;
        const attempt = this.ensureAttempt(result.goalId, result.turnIndex, true);
        this.completeTurn.run({
          goalId: result.goalId,
          turnIndex: result.turnIndex,
          attempt,
          outcomeJson: JSON.stringify(result.outcome),
          usageJson: JSON.stringify(result.usageAfter),
          tokens: result.turnTokens,
          cost: result.turnCostUsd,
          denials: result.permissionDenials,
          acceptanceJson: result.acceptance === null ? null : JSON.stringify(result.acceptance),
          finalText: result.finalText,
          diffStatJson: result.diffStat === null ? null : JSON.stringify(result.diffStat),
          preSha: result.preCheckpoint,
          postSha: result.postCheckpoint,
          sessionId: result.sessionId,
          at,
        });
        this.setUsage.run(this.usageParams(result.goalId, result.usageAfter, at));
        return;
      }
      case 'progress':
      case 'budget_exhausted':
        this.setUsage.run(this.usageParams(event.goalId, event.usage, at));
        return;
      case 'goal_paused':
        this.setLiveStatus.run({ goalId: event.goalId, status: 'paused', at });
        return;
      case 'goal_queued':
        this.setLiveStatus.run({ goalId: event.goalId, status: 'queued', at });
        return;
      case 'goal_resumed':
        this.setLiveStatus.run({ goalId: event.goalId, status: 'running', at });
        this.setPausedAtCap.run({ goalId: event.goalId, axis: null, at });
        return;
      case 'budget_paused':
        this.setUsage.run(this.usageParams(event.goalId, event.usage, at));
        this.setPausedAtCap.run({ goalId: event.goalId, axis: event.axis, at });
        return;
      case 'budget_extended':
        this.updateGoal(event.goalId, at, (goal) => ({ ...goal, budget: event.budget }));
        return;
      case 'goal_continued':
        // Ended no more: it waits to start (a host that stops before it starts leaves it resumable).
        this.updateGoal(event.goalId, at, (goal) => ({ ...goal, budget: event.budget }));
        this.reopenGoal.run({ goalId: event.goalId, at });
        return;
      case 'sleep_started':
        this.setLiveStatus.run({ goalId: event.goalId, status: 'sleeping', at });
        return;
      case 'setup_started':
        this.setLiveStatus.run({ goalId: event.goalId, status: 'running', at });
        return;
      case 'setup_finished':
        if (!event.ok)
          this.setLiveStatus.run({ goalId: event.goalId, status: event.cancelled ? 'cancelled' : 'setup_failed', at });
        return;
      case 'goal_completed': {
        const outcome = event.outcome;
        this.completeGoal.run({
          ...this.usageParams(event.goalId, outcome.usage, at, outcome.totalTurns),
          status: statusForOutcome(outcome),
          outcomeJson: JSON.stringify(outcome),
        });
        this.interruptOpenTurns.run({ goalId: event.goalId, at });
        return;
      }
      case 'turn_limit_raised':
        this.updateGoal(event.goalId, at, (goal) => ({
          ...goal,
          budget: { ...goal.budget, maxTurns: event.maxTurns },
        }));
        return;
      case 'checkpoint': {
        const attempt = this.ensureAttempt(event.goalId, event.turnIndex, event.phase === 'post');
        const params = { goalId: event.goalId, turnIndex: event.turnIndex, attempt, ref: event.ref, sha: event.sha };
        if (event.phase === 'pre') this.setPreCheckpoint.run(params);
        else {
          this.setPostCheckpoint.run({
            ...params,
            diffStatJson: event.diffStat === null ? null : JSON.stringify(event.diffStat),
          });
        }
        return;
      }
      case 'goal_landed':
        this.insertLanding.run({ goalId: event.goalId, landingJson: JSON.stringify(event.landing), at });
        return;
      default:
        return;
    }
  }
}
