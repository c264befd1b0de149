// Opening a goal's folder for the user: in their editor (the `editor.command` setting, else the
// first of `code`, `cursor`, $VISUAL, $EDITOR found), a terminal ($TERMINAL, else
// x-terminal-emulator) or the file manager (the desktop's opener: xdg-open, macOS `open`,
// Windows Explorer), started detached so it outlives the host. Without one, the caller shows the
// path (browser mode: with a copy button).
import { spawn } from 'node:child_process';
import { findOnPath } from '../workspace/index.js';

export interface OpenResult {
  path: string;
  opened: boolean;
  message: string;
}

/** The editor command to use: the setting, else `code`, `cursor`, $VISUAL, $EDITOR (first found). */
export async function detectEditor(
  setting: string | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  if (setting !== null && setting.trim() !== '') return setting.trim();
  for (const name of ['code', 'cursor']) {
    if ((await findOnPath(name, env['PATH'] ?? '')) !== null) return name;
  }
  return env['VISUAL']?.trim() || env['EDITOR']?.trim() || null;
}

/** Splits a command setting such as `code --new-window` into words (quotes respected). */
export function commandWords(command: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of command.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words.filter((word) => word !== '');
}

function launch(words: string[], cwd: string): Promise<boolean> {
  const [program, ...args] = words;
  if (program === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd, detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/** The program that shows a folder in the desktop's file manager. */
export function folderOpener(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
}

export async function openWorkspace(
  path: string,
  target: 'path' | 'editor' | 'terminal' | 'folder',
  editorSetting: string | null,
): Promise<OpenResult> {
  if (target === 'path') return { path, opened: false, message: path };
  if (target === 'folder') {
    const opener = folderOpener();
    if (process.platform !== 'win32' && (await findOnPath(opener, process.env['PATH'] ?? '')) === null) {
      return {
        path,
        opened: false,
        message: `no file manager opener found (${opener} is not on PATH): the folder is ${path}`,
      };
    }
    const opened = await launch([opener, path], path);
    return { path, opened, message: opened ? `opened ${path} in the file manager` : `could not start ${opener}` };
  }
  if (target === 'editor') {
    const editor = await detectEditor(editorSetting);
    if (editor === null)
      return {
        path,
        opened: false,
        message: 'no editor found: set one in Settings (e.g. `code`), or set $VISUAL / $EDITOR',
      };
    const opened = await launch([...commandWords(editor), path], path);
    return { path, opened, message: opened ? `opened ${path} with ${editor}` : `could not start ${editor}` };
  }
  const terminal =
    process.env['TERMINAL']?.trim() || ((await findOnPath('x-terminal-emulator', process.env['PATH'] ?? '')) ?? null);
  if (terminal === null) return { path, opened: false, message: 'no terminal found: set $TERMINAL' };
  const opened = await launch(commandWords(terminal), path);
  return { path, opened, message: opened ? `opened a terminal in ${path}` : `could not start ${terminal}` };
}
