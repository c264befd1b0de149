// Human-readable lines for driver events on the terminal (`overseer run` without --json).
import { describeSetupEvent } from './setup-lines.js';
import type { DriverEvent } from '../../shared/events.js';
import { formatDuration } from '../../shared/domain/duration.js';
import { toolSummary } from '../../shared/tool-input.js';
import { AXIS_LABELS, capText } from '../../shared/domain/budget-extension.js';

function clip(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** One line (or none) for an event; `ruleText` names a rule by its text (default: its id). */
export function describeEvent(
  event: DriverEvent,
  ruleText: (ruleId: string) => string = (ruleId) => `rule ${ruleId}`,
): string | null {
  switch (event.kind) {
    case 'goal_started':
      return `▶ goal ${event.goalId.slice(0, 8)}: ${clip(event.goal.description)}`;
    case 'attempt_started':
      return event.compact
        ? `· compacting the conversation (turn ${event.turnIndex + 1})`
        : `· turn ${event.turnIndex + 1} started`;
    case 'turn_output': {
      const entry = event.entry;
      if (entry.type === 'text' && entry.text.trim() !== '') return `  claude: ${clip(entry.text)}`;
      if (entry.type === 'tool_use') return `  tool: ${entry.name} ${clip(toolSummary(entry.name, entry.input), 120)}`;
      if (entry.type === 'tool_result' && entry.isError) return `  tool error: ${clip(entry.content)}`;
      return null;
    }
    case 'permission_decided': {
      const by =
        event.decidedBy.kind === 'rule'
          ? ruleText(event.decidedBy.ruleId)
          : event.decidedBy.kind === 'mode'
            ? `mode ${event.decidedBy.mode}`
            : event.decidedBy.kind === 'operator' && event.decidedBy.name !== undefined
              ? `by ${event.decidedBy.name}`
              : event.decidedBy.kind;
      if (event.decision.behavior === 'allow' && event.originalInput !== undefined) {
        return `  ✓ ${event.toolName} allowed with edits (${by}): ${clip(toolSummary(event.toolName, event.originalInput), 70)} → ${clip(toolSummary(event.toolName, event.decision.updatedInput), 70)}`;
      }
      return event.decision.behavior === 'allow'
        ? `  ✓ ${event.toolName} allowed (${by})`
        : `  ✗ ${event.toolName} denied (${by}): ${clip(event.decision.message)}`;
    }
    case 'checkpoint':
      return event.phase === 'post' && event.diffStat !== null
        ? `  diff: ${event.diffStat.files.length} file(s), +${event.diffStat.added} −${event.diffStat.removed}`
        : null;
    case 'acceptance':
      return event.verdict.met
        ? '  acceptance: met'
        : `  acceptance: not met: ${event.verdict.failures.map((f) => `${f.criterionLabel}: ${f.message}`).join('; ')}`;
    case 'attempt_completed':
      return `· turn ${event.result.turnIndex + 1} → ${event.result.outcome.kind} (${event.result.usageAfter.tokens} tokens, $${event.result.usageAfter.costUsd.toFixed(4)})`;
    case 'replay_decision':
      return `  replay: ${event.decision.kind} (${clip(event.errorMessage, 100)})`;
    case 'budget_exhausted':
      return `■ budget exhausted: ${event.axis}`;
    case 'budget_paused':
      return `‖ paused at the ${AXIS_LABELS[event.axis]} cap (${capText(event.axis, event.usage, event.budget)})`;
    case 'budget_extended':
      return `  budget extended: ${event.budget.maxTurns} turns, ${formatDuration(event.budget.maxWallTimeMs)}, ${event.budget.maxTokens} tokens${event.budget.maxCostUsd !== null ? `, $${event.budget.maxCostUsd.toFixed(2)}` : ''}`;
    case 'goal_continued':
      return `▶ continued with a note: ${clip(event.note)}`;
    case 'escalate':
      return `■ escalated: ${clip(event.reason)}`;
    case 'interrupt_queued':
      return `  note queued for the next turn${event.stopTurn ? ' (stopping this turn)' : ''}: ${clip(event.message)}`;
    case 'sleep_started':
      return `  sleeping ${formatDuration(event.durationMs)}: ${clip(event.reason)}`;
    case 'driver_warning':
      return `  warning: ${clip(event.message, 300)}`;
    case 'goal_completed': {
      const o = event.outcome;
      const tail = o.error !== null ? ` — ${o.error}` : o.finalText !== null ? ` — ${clip(o.finalText)}` : '';
      return `■ ${o.outcome.kind} after ${o.totalTurns} turn(s), ${o.usage.tokens} tokens, $${o.usage.costUsd.toFixed(4)}, ${formatDuration(o.elapsedMs)}${tail}`;
    }
    default:
      return describeSetupEvent(event);
  }
}
