// What a file tool call would do to a file: for Edit (and each edit of a MultiEdit) the file's
// current content with old_string replaced, for Write the new content, so the approval card shows
// a diff of the whole file with true line numbers. When the edit cannot be placed in the current
// file (text not found, found more than once, file unreadable) it says why and falls back to the
// old/new strings alone.
import { z } from 'zod';
import { stringField } from '../../shared/tool-input';

/** The file as the host read it for the card (see `permission.context`). */
export interface CurrentFile {
  exists: boolean;
  /** null when it could not be read (too large, not text, no permission). */
  content: string | null;
  /** Why content is null. */
  note: string | null;
}

export type ProposedChange =
  | { kind: 'file'; before: string; after: string; newFile: boolean }
  | { kind: 'snippet'; edits: { before: string; after: string }[]; reason: string };

const EditsSchema = z.array(
  z.object({ old_string: z.string(), new_string: z.string(), replace_all: z.boolean().optional() }),
);

interface Edit {
  before: string;
  after: string;
  all: boolean;
}

function editsOf(toolName: string, input: Record<string, unknown>): Edit[] | null {
  if (toolName === 'Edit') {
    const before = stringField(input, 'old_string');
    const after = stringField(input, 'new_string');
    if (before === null || after === null) return null;
    return [{ before, after, all: input['replace_all'] === true }];
  }
  if (toolName === 'MultiEdit') {
    const parsed = EditsSchema.safeParse(input['edits']);
    return parsed.success
      ? parsed.data.map((edit) => ({ before: edit.old_string, after: edit.new_string, all: edit.replace_all === true }))
      : null;
  }
  return null;
}

function occurrences(text: string, search: string): number {
  if (search === '') return 0;
  return text.split(search).length - 1;
}

/** Applies edits in order the way Claude Code does; the reason when one cannot be applied. */
export function applyEdits(
  content: string,
  edits: readonly Edit[],
): { ok: true; content: string } | { ok: false; reason: string } {
  let text = content;
  for (const [index, edit] of edits.entries()) {
    const which = edits.length > 1 ? `edit ${index + 1}: ` : '';
    const count = occurrences(text, edit.before);
    if (count === 0) return { ok: false, reason: `${which}the text to replace is not in the current file` };
    if (count > 1 && !edit.all)
      return {
        ok: false,
        reason: `${which}the text to replace appears ${count} times in the file (Claude Code refuses unless it replaces every occurrence)`,
      };
    if (edit.all) text = text.split(edit.before).join(edit.after);
    else {
      const at = text.indexOf(edit.before);
      text = text.slice(0, at) + edit.after + text.slice(at + edit.before.length);
    }
  }
  return { ok: true, content: text };
}

/** The change a Write/Edit/MultiEdit would make, or null for other tools (or input without the fields). */
export function proposedChange(
  toolName: string,
  input: Record<string, unknown>,
  current: CurrentFile | null,
): ProposedChange | null {
  if (toolName === 'Write') {
    const content = stringField(input, 'content');
    if (content === null) return null;
    if (current === null || (current.exists && current.content === null)) {
      return {
        kind: 'snippet',
        edits: [{ before: '', after: content }],
        reason: current?.note ?? 'the current file was not read',
      };
    }
    return { kind: 'file', before: current.content ?? '', after: content, newFile: !current.exists };
  }
  const edits = editsOf(toolName, input);
  if (edits === null) return null;
  const snippet = (reason: string): ProposedChange => ({
    kind: 'snippet',
    edits: edits.map(({ before, after }) => ({ before, after })),
    reason,
  });
  if (current === null) return snippet('the current file was not read');
  if (!current.exists) return snippet('the file does not exist');
  if (current.content === null) return snippet(current.note ?? 'the current file could not be read');
  const applied = applyEdits(current.content, edits);
  return applied.ok
    ? { kind: 'file', before: current.content, after: applied.content, newFile: false }
    : snippet(applied.reason);
}
