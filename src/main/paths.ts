// Where Overseer keeps its data: $OVERSEER_HOME, else the platform's app-data folder (the same
// place the desktop app uses). Folders are created with mode 0700.
import { mkdirSync, chmodSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, os: string = platform()): string {
  const fromEnv = env['OVERSEER_HOME'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  if (os === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Overseer');
  if (os === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Overseer');
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share'), 'overseer');
}

/** Creates `dir` (and parents) if needed and makes it private (0700). Returns it. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export interface DataPaths {
  root: string;
  /** SQLite database. */
  database: string;
  /** Unix sockets and other per-run files (0700). */
  runtimeDir: string;
  /** Git worktrees of goals. */
  worktreesDir: string;
  /** Per-goal MCP configs and other files that must stay outside worktrees. */
  goalsDir: string;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    database: join(root, 'overseer.db'),
    runtimeDir: join(root, 'run'),
    worktreesDir: join(root, 'worktrees'),
    goalsDir: join(root, 'goals'),
  };
}

/** Resolves the data directory and creates its folders. */
export function prepareDataDir(root: string = defaultDataDir()): DataPaths {
  const paths = dataPaths(root);
  ensurePrivateDir(paths.root);
  ensurePrivateDir(paths.runtimeDir);
  ensurePrivateDir(paths.worktreesDir);
  ensurePrivateDir(paths.goalsDir);
  return paths;
}
