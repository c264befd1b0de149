// What an operator's edit changed in a tool call's input, field by field (the before/after the
// timeline and the permission log show for an allow with edits).
import { safeJson } from '../../shared/tool-input';

export interface FieldChange {
  key: string;
  /** null: the field was added. */
  before: string | null;
  /** null: the field was removed. */
  after: string | null;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : safeJson(value);
}

/** The fields an edit changed, in the original's key order, then added keys. */
export function inputChanges(original: Record<string, unknown>, edited: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of new Set([...Object.keys(original), ...Object.keys(edited)])) {
    const before = key in original ? shown(original[key]) : null;
    const after = key in edited ? shown(edited[key]) : null;
    if (before !== after) changes.push({ key, before, after });
  }
  return changes;
}
