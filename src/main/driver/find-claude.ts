// Finding the user's Claude Code binary: an explicit `--claude` path, then a setting, then
// $OVERSEER_CLAUDE_BIN, then PATH, then the PATH of the user's login shell (desktop apps start with a
// thin PATH). None → one clear error saying how to install it or point to it.
import { execFile } from 'node:child_process';
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export type ClaudeSource = 'flag' | 'setting' | 'env' | 'path' | 'login_shell';

export interface FoundClaude {
  path: string;
  source: ClaudeSource;
}

export interface FindClaudeOptions {
  /** `--claude PATH`. */
  explicit?: string | null;
  /** The claude binary setting. */
  setting?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Ask `$SHELL -lc 'command -v claude'` as a last resort (default true). */
  useLoginShell?: boolean;
  loginShellTimeoutMs?: number;
}

export const INSTALL_HINT =
  'Install it with `npm install -g @anthropic-ai/claude-code`, or point Overseer to it with --claude PATH, ' +
  'the Claude binary setting, or the OVERSEER_CLAUDE_BIN environment variable.';

export class ClaudeNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaudeNotFoundError';
  }
}

const SOURCE_LABEL: Record<'flag' | 'setting' | 'env', string> = {
  flag: '--claude',
  setting: 'the Claude binary setting',
  env: 'OVERSEER_CLAUDE_BIN',
};

/** True when `path` is a regular file we may execute. */
export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidateNames(): string[] {
  return process.platform === 'win32' ? ['claude.exe', 'claude.cmd', 'claude'] : ['claude'];
}

/** The first `claude` on a PATH string, or null. */
export async function searchPath(pathValue: string | undefined): Promise<string | null> {
  if (pathValue === undefined || pathValue === '') return null;
  for (const dir of pathValue.split(delimiter)) {
    if (dir === '') continue;
    for (const name of candidateNames()) {
      const candidate = join(dir, name);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** `$SHELL -lc 'command -v claude'`: the last absolute path it prints, if executable. */
export function askLoginShell(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  const shell = env['SHELL'] !== undefined && env['SHELL'] !== '' ? env['SHELL'] : '/bin/sh';
  return new Promise((done) => {
    execFile(
      shell,
      ['-lc', 'command -v claude'],
      { env, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout) => {
        if (error !== null) {
          done(null);
          return;
        }
        const lines = String(stdout)
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => isAbsolute(line));
        const last = lines.at(-1);
        if (last === undefined) {
          done(null);
          return;
        }
        void isExecutableFile(last).then((ok) => done(ok ? last : null));
      },
    );
  });
}

/** Resolves the claude binary or throws ClaudeNotFoundError with the install hint. */
export async function findClaude(options: FindClaudeOptions = {}): Promise<FoundClaude> {
  const env = options.env ?? process.env;
  const explicit: [ClaudeSource & ('flag' | 'setting' | 'env'), string | null | undefined][] = [
    ['flag', options.explicit],
    ['setting', options.setting],
    ['env', env['OVERSEER_CLAUDE_BIN']],
  ];
  for (const [source, value] of explicit) {
    if (value === undefined || value === null || value.trim() === '') continue;
    const path = resolve(value.trim());
    if (await isExecutableFile(path)) return { path, source };
    throw new ClaudeNotFoundError(
      `Claude Code was not found at ${path} (from ${SOURCE_LABEL[source]}): no executable file there. ${INSTALL_HINT}`,
    );
  }
  const onPath = await searchPath(env['PATH']);
  if (onPath !== null) return { path: onPath, source: 'path' };
  if (options.useLoginShell ?? true) {
    const fromShell = await askLoginShell(env, options.loginShellTimeoutMs ?? 5000);
    if (fromShell !== null) return { path: fromShell, source: 'login_shell' };
  }
  throw new ClaudeNotFoundError(
    `Claude Code (\`claude\`) was not found on PATH or in your login shell's PATH. ${INSTALL_HINT}`,
  );
}
