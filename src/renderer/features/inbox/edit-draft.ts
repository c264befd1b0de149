// "Allow with edits" as fields, not JSON: which fields each known tool's editor shows (the Bash
// command, a Write's path and content, an Edit's path and old/new strings), the input built back
// from them, and JSON as the fallback for every other tool.
import { stringField } from '../../../shared/tool-input';

export interface EditField {
  key: string;
  label: string;
  /** Visible rows; 1 is a single-line input. */
  rows: number;
}

const FIELDS: Record<string, EditField[]> = {
  Bash: [{ key: 'command', label: 'Command to run', rows: 3 }],
  Write: [
    { key: 'file_path', label: 'File path', rows: 1 },
    { key: 'content', label: 'File content', rows: 12 },
  ],
  Edit: [
    { key: 'file_path', label: 'File path', rows: 1 },
    { key: 'old_string', label: 'Text to replace', rows: 6 },
    { key: 'new_string', label: 'Replacement text', rows: 6 },
  ],
};

export type EditResult = { ok: true; input: Record<string, unknown> } | { ok: false; error: string };

/** The field editor of a known tool, or null (edit as JSON) when the tool or its input is not the usual shape. */
export function editFieldsFor(toolName: string, input: Record<string, unknown>): EditField[] | null {
  const fields = FIELDS[toolName];
  if (fields === undefined) return null;
  return fields.every((field) => stringField(input, field.key) !== null) ? fields : null;
}

export function initialValues(fields: readonly EditField[], input: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.key, stringField(input, field.key) ?? '']));
}

/** The input with the fields' values; other keys (description, replace_all, …) are kept. */
export function buildEditedInput(
  toolName: string,
  original: Record<string, unknown>,
  values: Record<string, string>,
): EditResult {
  const input: Record<string, unknown> = { ...original, ...values };
  if (toolName === 'Bash' && (values['command'] ?? '').trim() === '')
    return { ok: false, error: 'The command is empty.' };
  if ((toolName === 'Write' || toolName === 'Edit') && (values['file_path'] ?? '').trim() === '')
    return { ok: false, error: 'The file path is empty.' };
  if (toolName === 'Edit') {
    if ((values['old_string'] ?? '') === '') return { ok: false, error: 'The text to replace is empty.' };
    if (values['old_string'] === values['new_string'])
      return { ok: false, error: 'The replacement is the same as the text it replaces.' };
  }
  return { ok: true, input };
}

/** The input from JSON text (the fallback editor). */
export function parseJsonInput(text: string): EditResult {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return { ok: false, error: 'The input must be a JSON object.' };
    return { ok: true, input: Object.fromEntries(Object.entries(parsed)) };
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
