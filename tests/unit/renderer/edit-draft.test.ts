// "Allow with edits": a field editor per known tool, JSON for the rest, and what an edit changed.
import { describe, expect, it } from 'vitest';
import {
  buildEditedInput,
  editFieldsFor,
  initialValues,
  parseJsonInput,
} from '../../../src/renderer/features/inbox/edit-draft';
import { inputChanges } from '../../../src/renderer/lib/input-changes';

describe('editFieldsFor', () => {
  it('Bash edits the command, Write path and content, Edit path and old/new strings', () => {
    expect(editFieldsFor('Bash', { command: 'ls', description: 'list' })?.map((field) => field.key)).toEqual([
      'command',
    ]);
    expect(editFieldsFor('Write', { file_path: '/w/a', content: 'x' })?.map((field) => field.key)).toEqual([
      'file_path',
      'content',
    ]);
    expect(
      editFieldsFor('Edit', { file_path: '/w/a', old_string: 'a', new_string: 'b' })?.map((field) => field.key),
    ).toEqual(['file_path', 'old_string', 'new_string']);
  });

  it('falls back to JSON for other tools and for inputs of an unusual shape', () => {
    expect(editFieldsFor('WebFetch', { url: 'https://x' })).toBeNull();
    expect(editFieldsFor('Bash', { command: ['ls'] })).toBeNull();
  });
});

describe('buildEditedInput', () => {
  it('keeps the other keys and takes the edited fields verbatim (newlines and all)', () => {
    const original = { command: 'rm -rf build', description: 'clean', timeout: 5000 };
    const fields = editFieldsFor('Bash', original) ?? [];
    expect(initialValues(fields, original)).toEqual({ command: 'rm -rf build' });
    expect(buildEditedInput('Bash', original, { command: 'rm -rf build/tmp\necho done' })).toEqual({
      ok: true,
      input: { command: 'rm -rf build/tmp\necho done', description: 'clean', timeout: 5000 },
    });
  });

  it('refuses an empty command, an empty path, an empty or unchanged Edit', () => {
    expect(buildEditedInput('Bash', { command: 'ls' }, { command: '  ' })).toEqual({
      ok: false,
      error: 'The command is empty.',
    });
    expect(buildEditedInput('Write', { file_path: 'a', content: '' }, { file_path: '', content: 'x' })).toMatchObject({
      ok: false,
    });
    expect(
      buildEditedInput(
        'Edit',
        { file_path: 'a', old_string: 'x', new_string: 'y' },
        { file_path: 'a', old_string: '', new_string: 'y' },
      ),
    ).toMatchObject({ ok: false });
    expect(
      buildEditedInput(
        'Edit',
        { file_path: 'a', old_string: 'x', new_string: 'y' },
        { file_path: 'a', old_string: 'z', new_string: 'z' },
      ),
    ).toMatchObject({ ok: false });
  });
});

describe('parseJsonInput', () => {
  it('accepts an object only', () => {
    expect(parseJsonInput('{"url":"https://y"}')).toEqual({ ok: true, input: { url: 'https://y' } });
    expect(parseJsonInput('[1]')).toEqual({ ok: false, error: 'The input must be a JSON object.' });
    expect(parseJsonInput('{')).toMatchObject({ ok: false, error: expect.stringContaining('Not valid JSON') });
  });
});

describe('inputChanges', () => {
  it('lists changed, added and removed fields', () => {
    expect(
      inputChanges({ command: 'a', description: 'd', timeout: 1 }, { command: 'b', description: 'd', extra: true }),
    ).toEqual([
      { key: 'command', before: 'a', after: 'b' },
      { key: 'timeout', before: '1', after: null },
      { key: 'extra', before: null, after: 'true' },
    ]);
    expect(inputChanges({ command: 'a' }, { command: 'a' })).toEqual([]);
  });
});
