// Making a fresh worktree able to run the project: copying ignored/untracked files from the
// repository (globs such as `.env` or `config/*.local.json`), linking shared folders from the main
// checkout (e.g. `node_modules`, clearly shared rather than rebuilt), and running the configured
// setup commands one after the other in the worktree, with their output streamed and a cancel
// that stops the whole process group. Also the lockfile hint. Nothing runs that was not configured.
import { spawn } from 'node:child_process';
import { copyFile, lstat, mkdir, readdir, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { LockfileHint } from '../../shared/domain/landing.js';

const LOCKFILES: readonly { file: string; command: string }[] = [
  { file: 'package-lock.json', command: 'npm ci' },
  { file: 'npm-shrinkwrap.json', command: 'npm ci' },
  { file: 'pnpm-lock.yaml', command: 'pnpm install --frozen-lockfile' },
  { file: 'yarn.lock', command: 'yarn install --frozen-lockfile' },
  { file: 'bun.lockb', command: 'bun install --frozen-lockfile' },
  { file: 'bun.lock', command: 'bun install --frozen-lockfile' },
  { file: 'uv.lock', command: 'uv sync' },
  { file: 'poetry.lock', command: 'poetry install' },
  { file: 'Pipfile.lock', command: 'pipenv sync' },
  { file: 'Gemfile.lock', command: 'bundle install' },
  { file: 'composer.lock', command: 'composer install' },
];

/** The first lockfile at the repository's top, with the command that installs from it. */
export function lockfileHint(repoTop: string): LockfileHint | null {
  for (const { file, command } of LOCKFILES) {
    if (existsSync(join(repoTop, file))) {
      return { lockfile: file, command, message: `${file} found: add \`${command}\` as a setup command?` };
    }
  }
  return null;
}

/** A relative path inside the tree (no `..`, not absolute), '/'-separated; null when it escapes. */
function insidePath(path: string): string | null {
  const normalized = normalize(path).split(sep).join('/').replace(/\/+$/, '');
  if (
    normalized === '' ||
    normalized === '.' ||
    isAbsolute(normalized) ||
    normalized === '..' ||
    normalized.startsWith('../')
  )
    return null;
  return normalized;
}

/**
 * Copies the files of `from` matching any glob to the same place under `to`, skipping `.git` and
 * files that already exist there (a checked-out file is never overwritten). Directories that no
 * glob can reach are not walked. Returns the copied paths.
 */
export async function copyMatchingFiles(from: string, to: string, globs: readonly string[]): Promise<string[]> {
  const patterns = globs.map((glob) => insidePath(glob)).filter((glob): glob is string => glob !== null);
  if (patterns.length === 0) return [];
  const options = { dot: true };
  const copied: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(from, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (path === '.git') continue;
      if (entry.isDirectory()) {
        if (patterns.some((pattern) => minimatch(path, pattern, options))) {
          await copyTree(from, to, path, copied);
        } else if (patterns.some((pattern) => minimatch(path, pattern, { ...options, partial: true }))) {
          await walk(path);
        }
      } else if (
        (entry.isFile() || entry.isSymbolicLink()) &&
        patterns.some((pattern) => minimatch(path, pattern, options))
      ) {
        await copyOne(from, to, path, copied);
      }
    }
  };
  await walk('');
  return copied;
}

async function copyOne(from: string, to: string, path: string, copied: string[]): Promise<void> {
  const target = join(to, path);
  if (existsSync(target)) return;
  await mkdir(dirname(target), { recursive: true });
  await copyFile(join(from, path), target);
  copied.push(path);
}

async function copyTree(from: string, to: string, dir: string, copied: string[]): Promise<void> {
  for (const entry of await readdir(join(from, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) await copyTree(from, to, path, copied);
    else if (entry.isFile()) await copyOne(from, to, path, copied);
  }
}

export interface LinkResult {
  linked: string[];
  /** Folder → why it was not linked. */
  skipped: { path: string; reason: string }[];
}

/** Links each folder of the main checkout into the worktree (a symlink: shared, not a copy). */
export async function linkSharedFolders(from: string, to: string, folders: readonly string[]): Promise<LinkResult> {
  const result: LinkResult = { linked: [], skipped: [] };
  for (const folder of folders) {
    const path = insidePath(folder);
    if (path === null) {
      result.skipped.push({ path: folder, reason: 'must be a folder inside the repository' });
      continue;
    }
    const source = join(from, path);
    const target = join(to, path);
    if (!existsSync(source)) {
      result.skipped.push({ path, reason: `${source} does not exist in the main checkout` });
      continue;
    }
    try {
      await lstat(target);
      result.skipped.push({ path, reason: 'already present in the worktree' });
      continue;
    } catch {
      // free: link it
    }
    await mkdir(dirname(target), { recursive: true });
    await symlink(relative(dirname(target), source) || source, target, 'dir');
    result.linked.push(path);
  }
  return result;
}

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
}

/**
 * Runs one setup command with `sh -c` in `cwd`, in its own process group; `onOutput` gets every
 * chunk. The abort signal stops the whole group (SIGTERM, then SIGKILL after `killGraceMs`).
 */
export function runSetupCommand(
  command: string,
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    signal?: AbortSignal;
    killGraceMs?: number;
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
  },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted === true) {
      resolve({ exitCode: null, signal: null, cancelled: true });
      return;
    }
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let cancelled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const onAbort = (): void => {
      cancelled = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5_000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (text: string) => options.onOutput('stdout', text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => options.onOutput('stderr', text));
    child.once('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer !== null) clearTimeout(killTimer);
      if (cancelled) killGroup('SIGKILL'); // leave nothing of the group behind
      resolve({ exitCode, signal, cancelled });
    });
  });
}
