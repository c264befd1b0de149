// Read-only commands over the stores: the goal list, one goal with its turns, timeline pages,
// search, and lazy loading of long tool results from the stored transcript.
import { z } from 'zod';
import type { GoalDetail, GoalSummary, TurnSummary } from '../../../shared/domain/views.js';
import type { Stores, GoalListRow, TurnRecord } from '../../store/index.js';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../store/index.js';
import type { CommandDispatcher } from '../dispatcher.js';
import { HostError } from '../command-error.js';
import type { GoalRuntime } from './runtime.js';

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
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toTurnSummary(turn: TurnRecord): TurnSummary {
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
    preSha: turn.preCheckpoint?.sha ?? null,
    postSha: turn.postCheckpoint?.sha ?? null,
    diffStat:
      turn.diffStat === null
        ? null
        : { files: turn.diffStat.files.length, added: turn.diffStat.added, removed: turn.diffStat.removed },
  };
}

/** Snippets come with control-character match markers; the UI shows «…» around matches. */
function readableSnippet(snippet: string): string {
  return snippet.split(SNIPPET_MATCH_START).join('«').split(SNIPPET_MATCH_END).join('»');
}

const ToolResultLineSchema = z.object({
  type: z.literal('user'),
  message: z.object({
    content: z.array(z.unknown()),
  }),
});
const ToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough())])
    .optional(),
  is_error: z.boolean().optional(),
});

/** Finds a tool result's full text in a turn's raw stream-json lines. */
export function findToolResult(lines: string[], toolUseId: string): { content: string; isError: boolean } | null {
  for (const raw of lines) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const line = ToolResultLineSchema.safeParse(json);
    if (!line.success) continue;
    for (const block of line.data.message.content) {
      const parsed = ToolResultBlockSchema.safeParse(block);
      if (!parsed.success || parsed.data.tool_use_id !== toolUseId) continue;
      const content = parsed.data.content;
      const text = typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('\n');
      return { content: text, isError: parsed.data.is_error ?? false };
    }
  }
  return null;
}

export function registerQueryHandlers(dispatcher: CommandDispatcher, stores: Stores, runtime: GoalRuntime): void {
  dispatcher.register('goals.list', () => ({
    goals: stores.goals.list().map((row) => toGoalSummary(row)),
  }));

  dispatcher.register('goal.get', ({ goalId }): GoalDetail => {
    const record = stores.goals.get(goalId);
    const row = stores.goals.summary(goalId);
    if (record === null || row === null) throw new HostError('not_found', `no goal ${goalId}`);
    return {
      goal: record.goal,
      summary: toGoalSummary(row),
      usage: record.usage,
      budget: record.goal.budget,
      turns: stores.turns.turnsForGoal(goalId).map(toTurnSummary),
      workspace: runtime.workspaceInfo(record.goal),
      turnRunning: runtime.isTurnRunning(goalId),
    };
  });

  dispatcher.register('goal.events', ({ goalId, beforeSeq, afterSeq, limit }) => {
    if (stores.goals.get(goalId) === null) throw new HostError('not_found', `no goal ${goalId}`);
    const page = stores.events.eventsForGoal(goalId, {
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...(afterSeq !== undefined ? { afterSeq } : {}),
      limit: limit + 1,
    });
    // One extra row tells whether there is more in the paging direction.
    const hasMore = page.length > limit;
    const events = hasMore ? (afterSeq !== undefined ? page.slice(0, limit) : page.slice(page.length - limit)) : page;
    return {
      events: events.map((stored) => ({ logSeq: stored.seq, at: stored.at, event: stored.event })),
      hasMore,
      total: stores.events.countForGoal(goalId),
    };
  });

  dispatcher.register('search', ({ query, limit }) => {
    const results = stores.search(query, limit);
    return {
      hits: [
        ...results.goals.map((hit) => ({
          kind: 'goal' as const,
          goalId: hit.goalId,
          snippet: readableSnippet(hit.snippet),
        })),
        ...results.transcript.map((hit) => ({
          kind: 'transcript' as const,
          goalId: hit.goalId,
          turnIndex: hit.turnIndex,
          snippet: readableSnippet(hit.snippet),
        })),
      ],
    };
  });

  dispatcher.register('transcript.toolResult', ({ goalId, turnIndex, toolUseId }) => {
    const lines = stores.transcripts.transcriptForTurn(goalId, turnIndex).map((line) => line.raw);
    const found = findToolResult(lines, toolUseId);
    if (found === null) throw new HostError('not_found', `no result for tool call ${toolUseId} in turn ${turnIndex}`);
    return found;
  });
}
