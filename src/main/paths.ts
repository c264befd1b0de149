// Where Overseer keeps its data: $OVERSEER_HOME, else the platform's app-data folder (the same
// place the desktop app uses). Folders Overseer creates get mode 0700; a folder that already exists
// is never chmod-ed (OVERSEER_HOME may name a shared folder such as /tmp): when others can reach
// into it, Overseer warns instead.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, os: string = platform()): string {
  const fromEnv = env['OVERSEER_HOME'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  if (os === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Overseer');
  if (os === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Overseer');
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'share'), 'overseer');
}

/** Where a warning about the data directory goes (default: stderr). */
export type DataDirWarn = (message: string) => void;

export const warnOnStderr: DataDirWarn = (message) => {
  process.stderr.write(`overseer: warning: ${message}\n`);
};

/** Group/others permission bits of `mode`, described for a warning; null when there are none. */
function openToOthers(mode: number): string | null {
  const loose = mode & 0o077;
  if (loose === 0) return null;
  return `mode ${(mode & 0o7777).toString(8).padStart(4, '0')}`;
}

/**
 * Creates `dir` (and missing parents) with mode 0700 and returns it. The folders this call creates
 * are set to exactly 0700; a folder that already existed keeps its mode, and when group or others
 * have any access to it `warn` is told (Overseer never changes permissions it did not set).
 */
export function ensurePrivateDir(dir: string, warn: DataDirWarn = warnOnStderr): string {
  const target = resolve(dir);
  const firstCreated = mkdirSync(target, { recursive: true, mode: 0o700 });
  if (firstCreated === undefined) {
    const loose = openToOthers(statSync(target).mode);
    if (loose !== null) {
      warn(
        `${target} already existed and other users can reach it (${loose}); Overseer leaves its permissions alone. Use a private folder (chmod 700) for Overseer's data.`,
      );
    }
    return dir;
  }
  // mkdir's mode is cut by the umask; make what we created exactly 0700, from the first new folder down.
  let path = resolve(firstCreated);
  chmodSync(path, 0o700);
  for (const part of relative(path, target)
    .split(sep)
    .filter((name) => name !== '')) {
    path = join(path, part);
    chmodSync(path, 0o700);
  }
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

/** Resolves the data directory and creates its folders (see ensurePrivateDir for permissions). */
export function prepareDataDir(root: string = defaultDataDir(), warn: DataDirWarn = warnOnStderr): DataPaths {
  const paths = dataPaths(root);
  ensurePrivateDir(paths.root, warn);
  ensurePrivateDir(paths.runtimeDir, warn);
  ensurePrivateDir(paths.worktreesDir, warn);
  ensurePrivateDir(paths.goalsDir, warn);
  return paths;
}
