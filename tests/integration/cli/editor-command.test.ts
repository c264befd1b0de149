// The editor command setting end to end: saved and read back through settings.update/get (an empty
// command refused), then used by the host's goal.open (the console's "Open in editor") and by
// `overseer open --editor` (the CLI's own in-process host on the same data directory). The editor
// is a script that records the arguments it was started with; so is the desktop's folder opener
// (xdg-open) behind "Open folder" and `overseer open --folder`.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../../src/main/host/host.js';
import { detectEditor, folderOpener } from '../../../src/main/host/open-workspace.js';
import { runCli } from '../../../src/main/cli/main.js';
import { fixtureRepo, waitFor } from '../host/support.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-editor-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake program (in a folder whose name has a space) that writes its arguments, one a line, to `record`. */
function recordingEditor(record: string, name = 'edit'): string {
  const dir = join(root, 'my editor');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, name);
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`);
  chmodSync(script, 0o755);
  return script;
}

function readRecord(record: string): string | null {
  return existsSync(record) ? readFileSync(record, 'utf8') : null;
}

describe('editor command setting', () => {
  it('is saved, read back, and used by Open in editor and `overseer open --editor`', async () => {
    const repo = fixtureRepo(root);
    const dataDir = join(root, 'data');
    const record = join(root, 'opened.txt');
    const editor = recordingEditor(record);
    const command = `"${editor}" --new-window`;
    const host = await createHost({ mode: 'cli', dataDir, heartbeatMs: 0 });
    let goalId = '';
    try {
      const invoke = async (channel: string, payload: unknown) =>
        host.dispatcher.invoke(channel, payload, { transport: 'local' });
      const initial = await invoke('settings.get', {});
      if (!initial.ok) throw new Error(initial.error.message);
      expect((initial.value as { editorCommand: string | null }).editorCommand).toBeNull();

      const saved = await invoke('settings.update', { editorCommand: command });
      if (!saved.ok) throw new Error(saved.error.message);
      expect((saved.value as { editorCommand: string | null }).editorCommand).toBe(command);
      const empty = await invoke('settings.update', { editorCommand: '   ' });
      expect(empty.ok).toBe(false);
      const readBack = await invoke('settings.get', {});
      if (!readBack.ok) throw new Error(readBack.error.message);
      expect((readBack.value as { editorCommand: string | null }).editorCommand).toBe(command);

      // An in-place goal, only recorded: its folder is the repository.
      const created = await invoke('goal.create', {
        description: 'Open me',
        repoPath: repo,
        inPlace: true,
        start: false,
      });
      if (!created.ok) throw new Error(created.error.message);
      goalId = (created.value as { goalId: string }).goalId;
      const opened = await invoke('goal.open', { goalId, target: 'editor' });
      if (!opened.ok) throw new Error(opened.error.message);
      expect(opened.value).toMatchObject({ path: repo, opened: true });
      expect((opened.value as { message: string }).message).toContain(editor);
      expect(await waitFor(() => readRecord(record), 'the editor started by goal.open')).toBe(
        `--new-window\n${repo}\n`,
      );
    } finally {
      await host.close();
    }

    rmSync(record, { force: true });
    const lines: string[] = [];
    expect(
      await runCli(['open', goalId.slice(0, 8), '--editor', '--data-dir', dataDir], (line) => void lines.push(line)),
    ).toBe(0);
    expect(lines).toEqual([repo]);
    expect(await waitFor(() => readRecord(record), 'the editor started by overseer open --editor')).toBe(
      `--new-window\n${repo}\n`,
    );
  }, 120_000);

  it('detects code, then cursor, then $VISUAL, then $EDITOR when the setting is empty', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    const empty = join(root, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    for (const name of ['code', 'cursor']) {
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    }
    expect(await detectEditor(null, { PATH: bin, VISUAL: 'gvim', EDITOR: 'nano' })).toBe('code');
    expect(await detectEditor('  subl -n ', { PATH: bin })).toBe('subl -n');
    rmSync(join(bin, 'code'));
    expect(await detectEditor(null, { PATH: bin, VISUAL: 'gvim' })).toBe('cursor');
    expect(await detectEditor(null, { PATH: empty, VISUAL: 'gvim', EDITOR: 'nano' })).toBe('gvim');
    expect(await detectEditor(null, { PATH: empty, EDITOR: 'nano' })).toBe('nano');
    expect(await detectEditor(null, { PATH: empty })).toBeNull();
  });

  it("opens the folder with the desktop's opener (Open folder, `overseer open --folder`), and says so when there is none", async () => {
    const repo = fixtureRepo(root);
    const dataDir = join(root, 'data-folder');
    const record = join(root, 'folder-opened.txt');
    const opener = recordingEditor(record, folderOpener());
    const previousPath = process.env['PATH'];
    process.env['PATH'] = `${join(opener, '..')}:${previousPath ?? ''}`;
    try {
      const host = await createHost({ mode: 'cli', dataDir, heartbeatMs: 0 });
      let goalId = '';
      try {
        const created = await host.dispatcher.invoke(
          'goal.create',
          { description: 'Show me', repoPath: repo, inPlace: true, start: false },
          { transport: 'local' },
        );
        if (!created.ok) throw new Error(created.error.message);
        goalId = (created.value as { goalId: string }).goalId;
        const opened = await host.dispatcher.invoke('goal.open', { goalId, target: 'folder' }, { transport: 'local' });
        if (!opened.ok) throw new Error(opened.error.message);
        expect(opened.value).toMatchObject({ path: repo, opened: true, message: `opened ${repo} in the file manager` });
        expect(await waitFor(() => readRecord(record), 'the folder opener')).toBe(`${repo}\n`);
      } finally {
        await host.close();
      }
      rmSync(record, { force: true });
      const lines: string[] = [];
      expect(
        await runCli(['open', goalId.slice(0, 8), '--folder', '--data-dir', dataDir], (line) => void lines.push(line)),
      ).toBe(0);
      expect(await waitFor(() => readRecord(record), 'the folder opener from the CLI')).toBe(`${repo}\n`);
      expect(
        await runCli(
          ['open', goalId.slice(0, 8), '--folder', '--editor', '--data-dir', dataDir],
          (line) => void lines.push(line),
        ),
      ).toBe(1);

      process.env['PATH'] = join(root, 'empty-bin');
      mkdirSync(process.env['PATH'], { recursive: true });
      lines.length = 0;
      expect(
        await runCli(
          ['open', goalId.slice(0, 8), '--folder', '--json', '--data-dir', dataDir],
          (line) => void lines.push(line),
        ),
      ).toBe(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
        path: repo,
        opened: false,
        message: expect.stringContaining('no file manager opener found'),
      });
    } finally {
      process.env['PATH'] = previousPath;
    }
  }, 120_000);
});
