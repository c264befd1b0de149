// The one place the workspace manager runs git: simple-git 4 `raw` calls, one fresh instance per
// call so environment (GIT_INDEX_FILE, the fixed snapshot identity), stdin and `-c` config are set
// per call and never leak between calls. Any non-zero exit is an error here (simple-git on its own
// only fails when stderr is non-empty too). Every call runs with the repository's hooks and
// fsmonitor switched off (REPOSITORY_PROGRAMS_OFF): Overseer's own git work never runs a program the
// repository configured.
import { access } from 'node:fs/promises';
import { GitError, GitPluginError, simpleGit, type SimpleGitOptions } from 'simple-git';
import { WorkspaceError } from './errors.js';
import { prepareGit, spawnGit, type DirectGitCall, type DirectGitExit, type PreparedGit } from './git-spawn.js';

/** Environment variables a call may set (simple-git's environment guard rejects any other GIT_*). */
const ALLOWED_GIT_ENV = [
  'GIT_INDEX_FILE',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_TRACE',
  'GIT_OPTIONAL_LOCKS',
  'GIT_TERMINAL_PROMPT',
] as const;
export type GitEnvName = (typeof ALLOWED_GIT_ENV)[number];

/** Keys simple-git treats as dangerous when passed explicitly (besides every GIT_* key). */
const GUARDED_NON_GIT_ENV = new Set(['editor', 'pager', 'visual', 'prefix', 'ssh_askpass']);

/**
 * simple-git waits 50 ms after a git process that wrote nothing at all (its completion plugin
 * cannot tell "no output" from "output not flushed yet"). Measured: a silent `update-ref` took
 * 57 ms through simple-git against 4 ms for one that prints. `git add -A`, `read-tree` and
 * `update-ref` are silent, so every call sets GIT_TRACE=1: git then writes one trace line to
 * stderr, which ends the wait. Trace lines are stripped from error messages.
 */
const TRACE_ENV: Partial<Record<GitEnvName, string>> = { GIT_TRACE: '1' };
const TRACE_LINE = /^\d{2}:\d{2}:\d{2}\.\d+ [^ ]+\s+trace: .*$/;

/**
 * `-c` settings put before every call's own: a repository can name programs git runs on its own
 * (hooks such as `post-checkout` on `worktree add`, a `core.fsmonitor` command on every status-like
 * scan). Those would run outside the permission gate, so Overseer's calls turn them off. Claude's
 * own git commands are not affected: they are Claude's tool calls and go through permissions.
 */
export const REPOSITORY_PROGRAMS_OFF: readonly string[] = ['core.hooksPath=/dev/null', 'core.fsmonitor=false'];
const PROTECTED_KEYS = REPOSITORY_PROGRAMS_OFF.map((setting) => setting.slice(0, setting.indexOf('=')).toLowerCase());

/** Refuses a per-call `-c` that would undo REPOSITORY_PROGRAMS_OFF (a later `-c` wins in git). */
function callConfig(config: readonly string[] | undefined): string[] {
  const own = config === undefined ? [] : [...config];
  for (const setting of own) {
    const key = setting.split('=', 1)[0]?.trim().toLowerCase() ?? '';
    if (PROTECTED_KEYS.includes(key))
      throw new WorkspaceError('invalid_argument', `git -c ${key} is fixed by the runner`);
  }
  return [...REPOSITORY_PROGRAMS_OFF, ...own];
}

export interface GitCall {
  cwd: string;
  args: readonly string[];
  env?: Partial<Record<GitEnvName, string>>;
  /** Written to git's stdin. */
  input?: string;
  /** `-c name=value` pairs put before the subcommand. */
  config?: readonly string[];
  /**
   * Spawn git directly instead of through simple-git (git-spawn.ts): for the checkpoint path only
   * (per turn, and a goal's first: its repository and refs), where simple-git's own cost per call
   * was measured to matter. Same results and errors.
   */
  direct?: boolean;
}

/**
 * A git command that exited non-zero. Extends simple-git's GitError: simple-git passes GitError
 * instances through to the caller and wraps anything else in a new GitError (losing the fields).
 */
export class GitCommandError extends GitError {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(undefined, `git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || '(no output)'}`);
    this.name = 'GitCommandError';
  }
}

function stripTrace(text: string): string {
  return text
    .split('\n')
    .filter((line) => !TRACE_LINE.test(line))
    .join('\n');
}

/** process.env without the keys simple-git's guard would reject (GIT_*, EDITOR, PAGER, ...). */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    if (lower.startsWith('git_') || GUARDED_NON_GIT_ENV.has(lower)) continue;
    env[key] = value;
  }
  // Never wait on a credential prompt; never take optional locks on the user's index.
  env['GIT_TERMINAL_PROMPT'] = '0';
  env['GIT_OPTIONAL_LOCKS'] = '0';
  return env;
}

export interface GitRunnerOptions {
  /** Kill a git process that prints nothing for this long (ms). Default 10 minutes. */
  silenceTimeoutMs?: number;
  /** The git executable (default `git` on PATH). */
  gitBinary?: string;
}

const NO_ANSWER_CODES: readonly number[] = [];

export class GitRunner {
  private readonly silenceTimeoutMs: number;
  private readonly gitBinary: string;
  private readonly env = baseEnvironment();

  constructor(options: GitRunnerOptions = {}) {
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? 600_000;
    this.gitBinary = options.gitBinary ?? 'git';
  }

  /** Runs git and returns its stdout. Throws GitCommandError on a non-zero exit. */
  async run(call: GitCall): Promise<string> {
    return (await this.execute(call, NO_ANSWER_CODES)).stdout;
  }

  /**
   * For commands whose non-zero exit is an answer rather than a failure (`merge-tree --write-tree`
   * exits 1 on conflicts, with the conflicted entries on stdout): an exit code listed in `answers`
   * returns with its stdout; 0 as well; any other non-zero exit throws GitCommandError as `run` does.
   */
  async runWithAnswers(call: GitCall, answers: readonly number[]): Promise<{ exitCode: number; stdout: string }> {
    return this.execute(call, answers);
  }

  private async execute(call: GitCall, answers: readonly number[]): Promise<{ exitCode: number; stdout: string }> {
    if (call.direct === true) return this.executeDirect(call, answers);
    const input = call.input;
    let exitCode = 0;
    const options: Partial<SimpleGitOptions> = {
      baseDir: call.cwd,
      binary: this.gitBinary,
      allowEnvironment: ALLOWED_GIT_ENV,
      config: callConfig(call.config),
      // simple-git refuses any core.hooksPath / core.fsmonitor setting unless allowed; the only
      // ones reaching it are REPOSITORY_PROGRAMS_OFF (callConfig refuses the caller's own).
      unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true },
      timeout: { block: this.silenceTimeoutMs },
      errors: (error, result) => {
        exitCode = result.exitCode;
        // An exit code the caller reads as an answer is no error (stdout is kept); a process
        // simple-git killed (silence timeout) stays one.
        if (result.exitCode > 0 && answers.includes(result.exitCode) && !(error instanceof GitPluginError))
          return undefined;
        // No exit code: git was killed by a signal. simple-git would hand back whatever it had
        // printed so far (often nothing) as a success; it is a failure.
        if (typeof result.exitCode !== 'number') {
          return error ?? new GitCommandError(call.args, -1, 'git was killed by a signal before it finished');
        }
        // exitCode > 0: git ran and failed. Otherwise pass simple-git's own error (spawn failure,
        // timeout) or none through.
        if (result.exitCode <= 0) return error;
        const stderr = stripTrace(Buffer.concat(result.stdErr).toString('utf8'));
        return new GitCommandError(call.args, result.exitCode, stderr);
      },
      ...(input === undefined ? {} : { input: () => input }),
    };
    let git;
    try {
      git = simpleGit(options);
    } catch (error) {
      throw new WorkspaceError('repo_missing', `cannot run git in ${call.cwd}: ${describe(error)}`, { cause: error });
    }
    try {
      const stdout = await git.env({ ...this.env, ...TRACE_ENV, ...call.env }).raw([...call.args]);
      return { exitCode, stdout };
    } catch (error) {
      if (error instanceof GitCommandError) throw error;
      if (/ENOENT/.test(describe(error))) {
        throw new WorkspaceError('git_missing', `git could not be started: ${describe(error)}`, { cause: error });
      }
      throw new WorkspaceError('git_failed', `git ${call.args.join(' ')}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * A direct call (see GitCall `direct`) whose process is started now and run at `start`: on POSIX
   * git-spawn.ts forks it here, so a caller that knows a call is coming prepares it while it waits
   * on another process, and the fork's cost (it blocks the event loop) is off its path. `result` is
   * what `run` would return or throw; after `cancel` (before `start`) git never runs and `result`
   * rejects with a git_failed WorkspaceError.
   */
  prepare(call: GitCall): PreparedGitCall {
    let prepared: PreparedGit;
    try {
      prepared = prepareGit(this.directCall(call));
    } catch (error) {
      const result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      result.catch(() => undefined);
      return { start: () => undefined, cancel: () => undefined, result };
    }
    const exit = prepared.exit.then((done): DirectGitExit => {
      if (done === null) throw cancelled(call);
      // The shell could not run git at all: reported as the spawn failure `run` reports.
      if (prepared.gateFailed(done)) throw Object.assign(new Error(done.stderr.trim()), { code: 'ENOENT' });
      return done;
    });
    const result = this.directOutcome(call, NO_ANSWER_CODES, exit).then((done) => done.stdout);
    result.catch(() => undefined); // a prepared call nobody waits for (cancelled) is no unhandled rejection
    return { start: prepared.release, cancel: prepared.abandon, result };
  }

  /** execute() without simple-git: the same environment, `-c` settings and errors. */
  private executeDirect(call: GitCall, answers: readonly number[]): Promise<{ exitCode: number; stdout: string }> {
    return this.directOutcome(call, answers, spawnGit(this.directCall(call)));
  }

  /** What git-spawn.ts runs for a call: the runner's binary, environment and timeout. */
  private directCall(call: GitCall): DirectGitCall {
    return {
      binary: this.gitBinary,
      cwd: call.cwd,
      argv: this.directArgv(call),
      env: { ...this.env, ...call.env },
      ...(call.input === undefined ? {} : { input: call.input }),
      silenceTimeoutMs: this.silenceTimeoutMs,
    };
  }

  private directArgv(call: GitCall): string[] {
    return [...callConfig(call.config).flatMap((setting) => ['-c', setting]), ...call.args];
  }

  /** A direct process's exit as `run` reports it: its stdout, or the same errors. */
  private async directOutcome(
    call: GitCall,
    answers: readonly number[],
    spawned: Promise<DirectGitExit>,
  ): Promise<{ exitCode: number; stdout: string }> {
    let exit;
    try {
      exit = await spawned;
    } catch (error) {
      if (error instanceof WorkspaceError) throw error;
      // spawn reports a missing working folder as ENOENT too: say which one is missing.
      const folderExists = await access(call.cwd).then(
        () => true,
        () => false,
      );
      if (!folderExists) {
        throw new WorkspaceError('repo_missing', `cannot run git in ${call.cwd}: the folder does not exist`, {
          cause: error,
        });
      }
      throw new WorkspaceError('git_missing', `git could not be started: ${describe(error)}`, { cause: error });
    }
    if (exit.silenced) {
      throw new WorkspaceError(
        'git_failed',
        `git ${call.args.join(' ')}: killed after ${this.silenceTimeoutMs} ms without output`,
      );
    }
    if (exit.exitCode === null) {
      throw new GitCommandError(call.args, -1, 'git was killed by a signal before it finished');
    }
    if (exit.exitCode !== 0 && !answers.includes(exit.exitCode)) {
      throw new GitCommandError(call.args, exit.exitCode, exit.stderr);
    }
    return { exitCode: exit.exitCode, stdout: exit.stdout };
  }
}

/** A call prepared by GitRunner.prepare. */
export interface PreparedGitCall {
  /** Runs git now (once; nothing after cancel). */
  start(): void;
  /** Never runs git (nothing once started). */
  cancel(): void;
  result: Promise<string>;
}

function cancelled(call: GitCall): WorkspaceError {
  return new WorkspaceError('git_failed', `git ${call.args.join(' ')}: cancelled before it ran`);
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const UNKNOWN_REVISION =
  /bad object|bad revision|unknown revision|ambiguous argument|not a tree object|invalid object name/i;

/**
 * Turns a GitCommandError into a WorkspaceError: invalid_revision when git did not know an object
 * we named, git_failed otherwise. Anything else passes through.
 */
export function asWorkspaceError(error: unknown, what: string): unknown {
  if (error instanceof GitCommandError) {
    const code = UNKNOWN_REVISION.test(error.stderr) ? 'invalid_revision' : 'git_failed';
    return new WorkspaceError(code, `${what}: ${error.message}`, { cause: error });
  }
  return error;
}
