// How stored rows are shown: a goal list row as a GoalSummary, a turn record as a TurnSummary.
// The command handlers and the CLI's `overseer goals`/`show` print the same views.
import type { GoalSummary, TurnSummary } from '../../../shared/domain/views.js';
import type { GoalListRow, TurnBrief } from '../../store/index.js';

export function toGoalSummary(row: GoalListRow): GoalSummary {
  return {
    id: row.goalId,
    description: row.description,
    repoPath: row.repoPath,
    status: row.status,
    turns: row.totalTurns,
    maxTurns: row.maxTurns,
    tokens: row.tokens,
    costUsd: row.costUsd,
    pendingPermissions: row.pendingPermissions,
    pausedAtCap: row.pausedAtCap,
    landed: row.landed,
    tokensPerTurn: row.tokensPerTurn,
    tokensPerTurnFrom: row.tokensPerTurnFrom,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toTurnSummary(turn: TurnBrief): TurnSummary {
  return {
    turnIndex: turn.turnIndex,
    attempt: turn.attempt,
    status: turn.status,
    compact: turn.compact,
    startedAt: turn.startedAt ?? turn.endedAt ?? '',
    endedAt: turn.endedAt,
    outcome: turn.outcome,
    tokens: turn.tokens,
    costUsd: turn.costUsd,
    sessionId: turn.sessionId,
    preSha: turn.preSha,
    postSha: turn.postSha,
    diffStat: turn.diffTotals,
  };
}
