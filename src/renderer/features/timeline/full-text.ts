// Loading the full text behind a row whose preview was cut: the event itself (message, input)
// or the tool result from the stored transcript.
import { call } from '../../lib/command';
import { safeJson } from '../../../shared/tool-input';
import { fetchFullEvent } from '../../state/timeline';

/** The full text of a text/thinking/note row's event, or a tool call's full input. */
export async function loadEventText(goalId: string, seq: number): Promise<string> {
  const logged = await fetchFullEvent(goalId, seq);
  const event = logged.event;
  switch (event.kind) {
    case 'turn_output': {
      const entry = event.entry;
      if (entry.type === 'text' || entry.type === 'thinking') return entry.text;
      if (entry.type === 'tool_use') return safeJson(entry.input);
      if (entry.type === 'tool_result') return entry.content;
      if (entry.type === 'system') return entry.detail;
      return entry.text ?? '';
    }
    case 'attempt_started':
      return event.prompt;
    case 'goal_started':
      return event.goal.description;
    case 'interrupt_queued':
      return event.message;
    case 'driver_warning':
      return event.message;
    case 'escalate':
      return event.reason;
    case 'replay_decision':
      return event.errorMessage;
    case 'sleep_started':
      return event.reason;
    case 'goal_completed':
      return event.outcome.error ?? event.outcome.finalText ?? '';
    default:
      return safeJson(event);
  }
}

export async function loadToolResult(goalId: string, turnIndex: number, toolUseId: string): Promise<string> {
  const result = await call('transcript.toolResult', { goalId, turnIndex, toolUseId });
  return result.content;
}
