// Converting one stored driver event into the timeline's compact form: a row, a patch that completes
// an earlier row (a tool's result, a permission request and its decision), or nothing (events the
// timeline does not show). Internal states are said in plain words.
import type { LoggedEvent } from '../../shared/domain/views';
import type { DriverEvent } from '../../shared/events';
import type { AttemptOutcome } from '../../shared/domain/goal';
import { safeJson, stringField, toolSummary } from '../../shared/tool-input';
import { timedOutText } from '../../shared/domain/turn-timeout';
import { formatCost, formatDuration, formatTokens, turnNumber } from '../lib/format';
import { convertSetupOrLanding } from './setup-rows';
import { summarizeDecision } from './decision-words';
import { convertBudgetEvent } from './budget-rows';
import { revertSource, revertTitle } from '../../shared/commands/review';
import {
  clipText,
  PREVIEW_CHARS,
  type Converted,
  type MiniChange,
  type RowBase,
  type RowTone,
  type TimelineRow,
  type ToolPermission,
  type ToolResultPreview,
} from './timeline-row-types';

export function outcomeLabel(outcome: AttemptOutcome): { text: string; tone: RowTone } {
  switch (outcome.kind) {
    case 'done':
      return { text: 'done', tone: 'good' };
    case 'needs_retry':
      return { text: `acceptance not met (${outcome.failures.length} failing)`, tone: 'warn' };
    case 'continue': {
      const timedOut = timedOutText(outcome.reason);
      if (timedOut !== null) return { text: timedOut, tone: 'warn' };
      if (outcome.reason === 'stopped by operator') return { text: 'you stopped this turn', tone: 'warn' };
      return { text: `continue: ${outcome.reason}`, tone: 'info' };
    }
    case 'sleep':
      return { text: `sleep ${formatDuration(outcome.durationMs)}: ${outcome.reason}`, tone: 'info' };
    case 'budget_exhausted':
      return { text: `budget exhausted (${outcome.axis})`, tone: 'error' };
    case 'cancelled':
      return { text: 'cancelled', tone: 'warn' };
    case 'escalate':
      return { text: `escalated: ${outcome.reason}`, tone: 'error' };
  }
}

function note(base: RowBase, tone: RowTone, label: string, text = ''): Converted {
  const clipped = clipText(text);
  return { row: { ...base, kind: 'note', tone, label, text: clipped.text, clipped: clipped.clipped }, pairKey: null };
}

function turnOf(event: DriverEvent): number | null {
  return 'turnIndex' in event ? event.turnIndex : event.kind === 'attempt_completed' ? event.result.turnIndex : null;
}

function miniChange(toolName: string, input: unknown): MiniChange | null {
  const path = stringField(input, 'file_path');
  if (path === null) return null;
  const side = (text: string) => clipText(text);
  if (toolName === 'Edit') {
    const before = side(stringField(input, 'old_string') ?? '');
    const after = side(stringField(input, 'new_string') ?? '');
    return { path, before: before.text, after: after.text, write: false, clipped: before.clipped || after.clipped };
  }
  if (toolName === 'Write') {
    const after = side(stringField(input, 'content') ?? '');
    return { path, before: '', after: after.text, write: true, clipped: after.clipped };
  }
  return null;
}

function convertOutput(base: RowBase, event: Extract<DriverEvent, { kind: 'turn_output' }>): Converted {
  const entry = event.entry;
  switch (entry.type) {
    case 'text':
    case 'thinking': {
      const clipped = clipText(entry.text);
      return {
        row: {
          ...base,
          kind: 'text',
          thinking: entry.type === 'thinking',
          text: clipped.text,
          clipped: clipped.clipped,
        },
        pairKey: null,
      };
    }
    case 'tool_use': {
      const input = clipText(safeJson(entry.input));
      const row: TimelineRow = {
        ...base,
        kind: 'tool',
        toolUseId: entry.toolUseId,
        name: entry.name,
        summary: toolSummary(entry.name, entry.input).slice(0, 300),
        input: input.text,
        clipped: input.clipped,
        result: null,
        permission: null,
        change: miniChange(entry.name, entry.input),
      };
      return { row, pairKey: `tool:${entry.toolUseId}`, absorb: `ptool:${entry.toolUseId}` };
    }
    case 'tool_result': {
      const content = clipText(entry.content);
      const result: ToolResultPreview = {
        content: content.text,
        isError: entry.isError,
        clipped: content.clipped || entry.truncated,
      };
      return {
        patch: {
          key: `tool:${entry.toolUseId}`,
          // Kept: the stored order of a call's result and its permission request is not guaranteed.
          keep: true,
          apply: (row) => (row.kind === 'tool' ? { ...row, result } : row),
          fallback: () => ({ ...base, kind: 'tool_result', toolUseId: entry.toolUseId, result }),
        },
      };
    }
    case 'system':
      if (entry.subtype === 'user_message') return note(base, 'info', 'Sent to Claude', entry.detail);
      if (entry.subtype === 'init') return note(base, 'info', 'Session started', entry.sessionId ?? '');
      return note(base, 'info', `System: ${entry.subtype}`, entry.detail);
    case 'result': {
      const cost = entry.costUsd === null ? '' : ` · ${formatCost(entry.costUsd)}`;
      // Claude Code's answer to being interrupted (the operator's stop, a denial that ends the turn, a timeout).
      if (entry.isError && (entry.text ?? '').includes('result_type=user'))
        return note(base, 'warn', `Claude stopped before finishing the turn${cost}`);
      return note(
        base,
        entry.isError ? 'error' : 'info',
        `Claude finished the turn (${entry.subtype}${cost})`,
        entry.isError ? (entry.text ?? '') : '',
      );
    }
  }
}

/** Converts one logged event into a row, a patch of an earlier row, or nothing (events the timeline does not show). */
export function convertEvent(logged: LoggedEvent): Converted {
  const event = logged.event;
  const base: RowBase = { seq: logged.logSeq, at: logged.at, turnIndex: turnOf(event) };
  switch (event.kind) {
    case 'goal_started':
      return note(base, 'info', 'Goal started', event.goal.description);
    case 'goal_completed': {
      const label = outcomeLabel(event.outcome.outcome);
      const tone = event.outcome.error !== null ? 'error' : label.tone;
      return note(
        base,
        tone,
        `Goal finished: ${event.outcome.error !== null ? 'failed' : label.text}`,
        event.outcome.error ?? event.outcome.finalText ?? '',
      );
    }
    case 'attempt_started': {
      const prompt = clipText(event.prompt);
      return {
        row: {
          ...base,
          kind: 'turn',
          turn: event.turnIndex,
          compact: event.compact,
          prompt: prompt.text,
          clipped: prompt.clipped,
        },
        pairKey: null,
      };
    }
    case 'attempt_completed': {
      const label = outcomeLabel(event.result.outcome);
      return {
        row: {
          ...base,
          kind: 'attempt',
          outcome: label.text,
          tone: label.tone,
          tokens: event.result.turnTokens,
          costUsd: event.result.turnCostUsd,
          denials: event.result.permissionDenials,
        },
        pairKey: null,
      };
    }
    case 'acceptance':
      return {
        row: {
          ...base,
          kind: 'acceptance',
          met: event.verdict.met,
          failures: event.verdict.failures.map((failure) =>
            `${failure.criterionLabel}: ${failure.message}`.slice(0, PREVIEW_CHARS),
          ),
          elapsedMs: event.verdict.elapsedMs,
        },
        pairKey: null,
      };
    case 'budget_exhausted':
      return note(
        base,
        'error',
        `Budget exhausted: ${event.axis.replace(/_/g, ' ')}`,
        `turns ${event.usage.turns}, tokens ${formatTokens(event.usage.tokens)}, ${formatCost(event.usage.costUsd)}`,
      );
    case 'escalate':
      return note(base, 'error', 'Escalated to the operator', event.reason);
    case 'replay_decision':
      return note(base, 'warn', `Replay: ${event.decision.kind.replace(/_/g, ' ')}`, event.errorMessage);
    case 'compact_requested':
      return note(
        base,
        'info',
        `Compaction requested (${event.trigger.replace(/_/g, ' ')})`,
        `${formatTokens(event.beforeTokens)} tokens; focus: ${event.focus}`,
      );
    case 'compact_completed':
      return note(base, 'info', 'Compaction finished', `${formatTokens(event.afterTokens)} tokens after`);
    case 'compact_summary_stored':
      return note(
        base,
        'info',
        'Compact summary stored',
        `${formatTokens(event.beforeTokens)} → ${formatTokens(event.afterTokens)} tokens`,
      );
    case 'progress':
      return note(
        base,
        'info',
        `Progress after ${event.turnIndex} ${event.turnIndex === 1 ? 'turn' : 'turns'}: ${formatTokens(event.usage.tokens)} tokens, ${formatCost(event.usage.costUsd)}`,
        event.lastText ?? '',
      );
    case 'goal_queued':
      return note(
        base,
        'info',
        `Queued (position ${event.position})`,
        'waits for a free slot: Settings → maximum goals running at once',
      );
    case 'goal_paused':
      return note(base, 'warn', 'Paused by the operator');
    case 'goal_resumed':
      return note(base, 'info', 'Resumed');
    case 'interrupt_queued':
      return note(
        base,
        'warn',
        event.stopTurn ? 'Stopping this turn; note for the next' : 'Note queued for the next turn',
        event.message,
      );
    case 'turn_limit_raised':
      return note(base, 'info', `Turn limit raised to ${event.maxTurns}`);
    case 'sleep_started':
      return note(base, 'info', `Sleeping ${formatDuration(event.durationMs)}`, event.reason);
    case 'turn_output':
      return convertOutput(base, event);
    case 'permission_requested': {
      const { request } = event;
      const permission: ToolPermission = { requestId: request.id, decision: null };
      return {
        patch: {
          key: `tool:${request.toolUseId}`,
          keep: true,
          alsoPair: `perm:${request.id}`,
          apply: (row) => (row.kind === 'tool' ? { ...row, permission } : row),
          fallback: () => ({
            ...base,
            turnIndex: request.turnIndex,
            kind: 'permission',
            requestId: request.id,
            toolUseId: request.toolUseId,
            toolName: request.toolName,
            summary: toolSummary(request.toolName, request.input).slice(0, 300),
            decision: null,
          }),
          fallbackKeys: [`perm:${request.id}`, `ptool:${request.toolUseId}`],
        },
      };
    }
    case 'permission_decided': {
      const decision = summarizeDecision(event.decision, event.decidedBy, event.originalInput);
      return {
        patch: {
          key: `perm:${event.requestId}`,
          apply: (row) => {
            if (row.kind === 'permission') return { ...row, decision };
            if (row.kind === 'tool' && row.permission !== null)
              return { ...row, permission: { ...row.permission, decision } };
            return row;
          },
          fallback: () => ({
            ...base,
            kind: 'decision',
            requestId: event.requestId,
            toolName: event.toolName,
            decision,
          }),
        },
      };
    }
    case 'checkpoint':
      if (event.phase !== 'post' || event.diffStat === null) return null;
      return {
        row: {
          ...base,
          kind: 'diff',
          turn: event.turnIndex,
          files: event.diffStat.files.length,
          added: event.diffStat.added,
          removed: event.diffStat.removed,
        },
        pairKey: null,
      };
    case 'rollback':
      return note(
        base,
        'warn',
        `Rolled back to ${event.phase === 'pre' ? 'before' : 'after'} turn ${turnNumber(event.turnIndex)}`,
        event.sha,
      );
    case 'file_reverted':
      return note(base, 'warn', revertTitle(event), revertSource(event));
    case 'driver_warning':
      return note(base, 'warn', 'Warning', event.message);
    case 'setup_started':
    case 'setup_output':
    case 'setup_finished':
    case 'goal_landed':
      return convertSetupOrLanding(base, event);
    case 'budget_paused':
    case 'budget_extended':
    case 'goal_continued':
    case 'turn_usage':
      return convertBudgetEvent(base, event);
  }
}
