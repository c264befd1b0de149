// Handlers of the goal commands (src/shared/commands/goals.ts), one per command: validate a
// repository, create and start a goal, list and inspect goals, page the timeline, search, the
// operator's controls, restart after a crash, delete, diffs and rollback.
import type { goalCommands } from '../../../shared/commands/goals.js';
import type { GoalDetail } from '../../../shared/domain/views.js';
import type { Stores } from '../../store/index.js';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../store/index.js';
import { parsedAtItsBoundary, type HandlersFor } from '../dispatcher.js';
import { HostError } from '../command-error.js';
import type { GoalRunner } from '../goal-runner.js';
import { continueGoal } from '../continue-goal.js';
import { newGoal } from '../services/new-goal.js';
import { validateRepository } from '../services/repository.js';
import { resumeInterrupted } from '../services/resume-interrupted.js';
import { toGoalSummary, toTurnSummary } from '../services/summaries.js';
import { findToolResult } from '../services/tool-result.js';
import { previewEvent } from '../services/event-preview.js';

/** Snippets come with control-character match markers; the UI shows «…» around matches. */
function readableSnippet(snippet: string): string {
  return snippet.split(SNIPPET_MATCH_START).join('«').split(SNIPPET_MATCH_END).join('»');
}

export function goalHandlers(stores: Stores, runner: GoalRunner) {
  return {
    'repo.validate': ({ path }) => validateRepository(path),

    'goal.create': async (request) => {
      const goal = await newGoal(stores, request);
      stores.goals.insert(goal);
      if (!request.start) return { goalId: goal.id, queuePosition: null };
      const admitted = await runner.admit(goal);
      return { goalId: goal.id, queuePosition: admitted.queued ? admitted.position : null };
    },

    'goals.list': ({ limit, statuses }) => {
      const { rows, total } = stores.goals.newest(limit, statuses);
      // Each row was held to the contract's goal summary as it was read back from SQLite (the goal
      // store's list), and the total is a parsed count: tests/unit/host/goal-list-response.test.ts.
      return parsedAtItsBoundary({ goals: rows.map((row) => toGoalSummary(row)), total });
    },

    'goal.get': ({ goalId }): GoalDetail => {
      const record = stores.goals.get(goalId);
      const row = stores.goals.summary(goalId);
      if (record === null || row === null) throw new HostError('not_found', `no goal ${goalId}`);
      return {
        goal: record.goal,
        summary: toGoalSummary(row),
        usage: record.usage,
        budget: record.goal.budget,
        turns: stores.turns.briefsForGoal(goalId).map(toTurnSummary),
        workspace: runner.workspaceInfo(record.goal),
        turnRunning: runner.isTurnRunning(goalId),
      };
    },

    'goal.events': ({ goalId, beforeSeq, afterSeq, skip, limit, clipTextsAt }) => {
      if (stores.goals.get(goalId) === null) throw new HostError('not_found', `no goal ${goalId}`);
      const page = stores.events.eventsForGoal(goalId, {
        ...(beforeSeq !== undefined ? { beforeSeq } : {}),
        ...(afterSeq !== undefined ? { afterSeq } : {}),
        ...(skip !== undefined ? { skip } : {}),
        limit: limit + 1,
      });
      // One extra row tells whether there is more in the paging direction.
      const hasMore = page.length > limit;
      const events = hasMore ? (afterSeq !== undefined ? page.slice(0, limit) : page.slice(page.length - limit)) : page;
      // Every event was parsed against the contract's event schema as it was read back from SQLite.
      return parsedAtItsBoundary({
        events: events.map((stored) => ({
          logSeq: stored.seq,
          at: stored.at,
          event: clipTextsAt === undefined ? stored.event : previewEvent(stored.event, clipTextsAt),
        })),
        hasMore,
        total: stores.events.countForGoal(goalId),
      });
    },

    'goal.pause': ({ goalId }) => (runner.pause(goalId), { ok: true as const }),
    'goal.resume': ({ goalId }) => (runner.resume(goalId), { ok: true as const }),
    'goal.cancel': ({ goalId }) => (runner.cancel(goalId), { ok: true as const }),
    'goal.interrupt': ({ goalId, message, stopTurn }) => ({
      queueDepth: runner.interrupt(goalId, message, stopTurn),
    }),
    'goal.extendBudget': ({ goalId, extension }) => ({
      budget: runner.extendBudget(goalId, extension),
    }),
    'goal.endAtCap': ({ goalId }) => (runner.endAtCap(goalId), { ok: true as const }),
    'goal.continue': (request) => continueGoal(stores, runner, request),
    'goal.raiseTurnLimit': ({ goalId, maxTurns }) => ({
      maxTurns: runner.raiseTurnLimit(goalId, maxTurns),
    }),

    'goal.restart': async ({ goalId }) => {
      const info = stores.resumeInfo(goalId);
      if (info === null) throw new HostError('not_found', `no goal ${goalId}`);
      if (runner.isRunning(goalId)) throw new HostError('conflict', 'the goal is already running');
      if (info.status !== 'interrupted' && info.status !== 'pending' && info.status !== 'setup_failed') {
        throw new HostError(
          'failed_precondition',
          `only an interrupted, never-started or setup-failed goal can be restarted (this one is ${info.status})`,
        );
      }
      const fresh = info.status === 'pending' || info.status === 'setup_failed';
      await runner.admit(info.goal, fresh ? undefined : { usage: info.usage, totalTurns: info.totalTurns });
      return { ok: true as const };
    },

    'goal.moveUp': ({ goalId }) => ({ position: runner.moveUp(goalId) }),
    'goals.queue': () => ({ goalIds: runner.queuedGoalIds() }),
    'goals.resumeInterrupted': () => resumeInterrupted(stores, runner),

    'goal.delete': async ({ goalId, keepBranch }) => ({
      message: await runner.delete(goalId, keepBranch),
    }),
    'turn.diff': ({ goalId, turnIndex }) => runner.turnDiff(goalId, turnIndex),
    'goal.cumulativeDiff': ({ goalId }) => runner.cumulativeDiff(goalId),
    'goal.patch': ({ goalId, turnIndex }) => runner.fullPatch(goalId, turnIndex),
    'goal.rollback': async ({ goalId, turnIndex, phase }) => ({
      sha: await runner.rollback(goalId, turnIndex, phase),
    }),

    'transcript.toolResult': ({ goalId, turnIndex, toolUseId }) => {
      const lines = stores.transcripts.transcriptForTurn(goalId, turnIndex).map((line) => line.raw);
      const found = findToolResult(lines, toolUseId);
      if (found === null) throw new HostError('not_found', `no result for tool call ${toolUseId} in turn ${turnIndex}`);
      return found;
    },

    search: ({ query, limit }) => {
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
    },
  } satisfies HandlersFor<typeof goalCommands>;
}
