// Readable one-line summaries of a tool call's input (the Bash command, the file a Write or Edit
// touches, a search pattern): the timeline, the permission inbox and the CLI's event lines.

function field(input: unknown, name: string): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  const value: unknown = Reflect.get(input, name);
  return typeof value === 'string' ? value : null;
}

export function stringField(input: unknown, name: string): string | null {
  return field(input, name);
}

/** The main argument of a call: what an operator reads first. */
export function toolSummary(toolName: string, input: unknown): string {
  const name = toolName.replace(/^mcp__[^_]+__/, '');
  const first = (...names: string[]): string | null => {
    for (const candidate of names) {
      const value = field(input, candidate);
      if (value !== null && value !== '') return value;
    }
    return null;
  };
  switch (name) {
    case 'Bash':
      return first('command') ?? '';
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return first('file_path', 'notebook_path', 'path') ?? '';
    case 'Grep':
    case 'Glob':
      return [first('pattern'), first('path')].filter((part) => part !== null).join(' in ');
    case 'WebFetch':
      return first('url') ?? '';
    case 'WebSearch':
      return first('query') ?? '';
    case 'Task':
    case 'Agent':
      return first('description', 'prompt') ?? '';
    default: {
      const text = safeJson(input, 0);
      return text.length > 200 ? `${text.slice(0, 199)}…` : text;
    }
  }
}

/** JSON text of any value (never throws). */
export function safeJson(value: unknown, indent = 2): string {
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    return String(value);
  }
}
