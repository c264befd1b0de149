// Cutting a timeline page's long texts to what a collapsed row shows (goal.events asked with
// `clipTextsAt`), so paging a long history moves and parses far fewer bytes. Cut: Claude's
// messages and thinking, tool call inputs (every string in them) and tool results, system details
// and error texts, turn prompts. Left whole: everything else (goal records, permission requests and
// decisions, whose inputs are compared field by field). The stored event is never changed: the
// operator's "show full" reads the event again without a limit.
import type { DriverEvent } from '../../../shared/events.js';

function cut(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

/** `value` with every string in it (object fields and array items, at any depth) cut to `limit`. */
function cutStrings(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return cut(value, limit);
  if (Array.isArray(value)) return value.map((item: unknown) => cutStrings(item, limit));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = cutStrings(item, limit);
    return out;
  }
  return value;
}

/** Whether `value` holds a string longer than `limit` (so most events are passed on as they are). */
function hasLongString(value: unknown, limit: number): boolean {
  if (typeof value === 'string') return value.length > limit;
  if (Array.isArray(value)) return value.some((item: unknown) => hasLongString(item, limit));
  if (value !== null && typeof value === 'object')
    return Object.values(value).some((item: unknown) => hasLongString(item, limit));
  return false;
}

/** `event` with its long display texts cut to `limit` characters; the same object when none is longer. */
export function previewEvent(event: DriverEvent, limit: number): DriverEvent {
  if (event.kind === 'attempt_started')
    return event.prompt.length > limit ? { ...event, prompt: cut(event.prompt, limit) } : event;
  if (event.kind !== 'turn_output') return event;
  const entry = event.entry;
  switch (entry.type) {
    case 'text':
    case 'thinking':
      return entry.text.length > limit ? { ...event, entry: { ...entry, text: cut(entry.text, limit) } } : event;
    case 'tool_use':
      return hasLongString(entry.input, limit)
        ? { ...event, entry: { ...entry, input: cutStrings(entry.input, limit) } }
        : event;
    case 'tool_result':
      return entry.content.length > limit
        ? { ...event, entry: { ...entry, content: cut(entry.content, limit) } }
        : event;
    case 'system':
      return entry.detail.length > limit ? { ...event, entry: { ...entry, detail: cut(entry.detail, limit) } } : event;
    case 'result':
      return entry.text !== null && entry.text.length > limit
        ? { ...event, entry: { ...entry, text: cut(entry.text, limit) } }
        : event;
  }
}
