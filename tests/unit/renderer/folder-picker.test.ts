// New goal's "Browse…" is offered only when the preload exposes the desktop's folder dialog, and the
// dialog's answer is parsed: a path, or null for anything else.
import { describe, expect, it } from 'vitest';
import { folderPickerOf } from '../../../src/renderer/features/new-goal/folder-picker';

describe('folderPickerOf', () => {
  it('offers no picker in browser mode or with a preload without the dialog', () => {
    expect(folderPickerOf(undefined)).toBeNull();
    expect(folderPickerOf({})).toBeNull();
  });

  it("passes on the dialog's chosen path", async () => {
    const picker = folderPickerOf({ pickFolder: async () => '/home/me/src/app' });
    expect(picker).not.toBeNull();
    await expect(picker?.()).resolves.toBe('/home/me/src/app');
  });

  it('answers null for a cancelled dialog or an answer that is not a path', async () => {
    await expect(folderPickerOf({ pickFolder: async () => null })?.()).resolves.toBeNull();
    await expect(folderPickerOf({ pickFolder: async () => 42 })?.()).resolves.toBeNull();
    await expect(folderPickerOf({ pickFolder: async () => '' })?.()).resolves.toBeNull();
  });
});
