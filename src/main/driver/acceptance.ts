// Acceptance evaluator: runs every criterion of a goal in declaration order (all of
// them, not stopping at the first failure). shell_command runs `/bin/sh -c` in the workspace, reading
// stdout and stderr concurrently with 1 MiB caps and killing the process group on timeout;
// file_matches is confined to the workspace; git_clean and no_paths_touched ask git (see
// acceptance/git-checks.ts); llm_judge asks a read-only Claude call (acceptance/judge.ts), whose cost
// the verdict carries. Regexes never run on the host's event loop (acceptance/regex-match.ts).
// Problems (bad regex, escaping path, spawn failure) become failures with a clear message instead of
// failing the goal.
import { spawn } from 'node:child_process';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { AcceptanceCriterion, AcceptanceFailure, AcceptanceVerdict } from '../../shared/domain/goal.js';
import { criterionLabel } from '../../shared/domain/acceptance-rules.js';
import {
  changesSinceBase,
  forbiddenPaths,
  headCommit,
  isGitWorkTree,
  uncommittedChanges,
} from './acceptance/git-checks.js';
import { runJudge, type JudgeConfig } from './acceptance/judge.js';
import { DEFAULT_REGEX_TIME_LIMIT_MS, matchInWorker, regexProblem } from './acceptance/regex-match.js';

export { criterionLabel } from '../../shared/domain/acceptance-rules.js';

/** What some checks need besides the workspace: the goal (judge) and where it started (no_paths_touched, judge). */
export interface AcceptanceContext {
  goalDescription: string;
  model: string | null;
  /** The goal's base commit; null: the repository had no commit (changes count from the empty tree). */
  baseCommit: string | null;
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  context?: AcceptanceContext;
}

export interface AcceptanceEvaluator {
  evaluate(
    criteria: readonly AcceptanceCriterion[],
    workspacePath: string,
    options?: EvaluateOptions,
  ): Promise<AcceptanceVerdict>;
}

/** Always met (a goal without checks). */
export class NoopAcceptanceEvaluator implements AcceptanceEvaluator {
  async evaluate(): Promise<AcceptanceVerdict> {
    return { met: true, failures: [], evaluatedAt: new Date().toISOString(), elapsedMs: 0 };
  }
}

export interface DefaultAcceptanceOptions {
  /** Used when a shell criterion has timeoutSecs 0. */
  defaultTimeoutSecs?: number;
  /** Evidence keeps the last this-many bytes of stdout + stderr. */
  evidenceByteLimit?: number;
  /** Cap of each captured stream (what the stdout regex sees). */
  outputCapBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Time one regex match may take (stdout and file regexes); default 5 s. */
  regexTimeLimitMs?: number;
  /** How to run the llm_judge Claude call; without it a judge criterion fails as unavailable. */
  judge?: JudgeConfig | null;
}

type CriterionResult = ({ ok: true } | { ok: false; message: string; evidence: string | null }) & {
  costUsd?: number;
  tokens?: number;
};

export class DefaultAcceptanceEvaluator implements AcceptanceEvaluator {
  private readonly defaultTimeoutSecs: number;
  private readonly evidenceByteLimit: number;
  private readonly outputCapBytes: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly regexTimeLimitMs: number;
  private readonly judge: JudgeConfig | null;

  constructor(options: DefaultAcceptanceOptions = {}) {
    this.defaultTimeoutSecs = options.defaultTimeoutSecs ?? 300;
    this.evidenceByteLimit = options.evidenceByteLimit ?? 4096;
    this.outputCapBytes = options.outputCapBytes ?? 1024 * 1024;
    this.env = options.env ?? process.env;
    this.regexTimeLimitMs = options.regexTimeLimitMs ?? DEFAULT_REGEX_TIME_LIMIT_MS;
    this.judge = options.judge ?? null;
  }

  async evaluate(
    criteria: readonly AcceptanceCriterion[],
    workspacePath: string,
    options: EvaluateOptions = {},
  ): Promise<AcceptanceVerdict> {
    const started = Date.now();
    const failures: AcceptanceFailure[] = [];
    let costUsd = 0;
    let tokens = 0;
    for (const [index, criterion] of criteria.entries()) {
      let result: CriterionResult;
      try {
        result = await this.check(criterion, workspacePath, options);
      } catch (error) {
        result = { ok: false, message: `evaluator error: ${errorText(error)}`, evidence: null };
      }
      costUsd += result.costUsd ?? 0;
      tokens += result.tokens ?? 0;
      if (!result.ok) {
        failures.push({
          criterionIndex: index,
          criterionLabel: criterionLabel(criterion),
          message: result.message,
          evidence: result.evidence,
        });
      }
    }
    return {
      met: failures.length === 0,
      failures,
      evaluatedAt: new Date().toISOString(),
      elapsedMs: Date.now() - started,
      ...(costUsd > 0 || tokens > 0 ? { costUsd, tokens } : {}),
    };
  }

  private check(
    criterion: AcceptanceCriterion,
    workspacePath: string,
    options: EvaluateOptions,
  ): Promise<CriterionResult> {
    switch (criterion.kind) {
      case 'shell_command':
        return this.runShell(criterion, workspacePath, options.signal);
      case 'file_matches':
        return matchFile(criterion, workspacePath, this.regexTimeLimitMs, options.signal);
      case 'git_clean':
        return checkClean(workspacePath);
      case 'no_paths_touched':
        return checkUntouched(criterion.globs, workspacePath, options.context);
      case 'llm_judge':
        return this.askJudge(criterion.criterionText, workspacePath, options);
    }
  }

  private async askJudge(
    criterionText: string,
    workspacePath: string,
    options: EvaluateOptions,
  ): Promise<CriterionResult> {
    if (this.judge === null)
      return {
        ok: false,
        message: 'the judge is not available here (no Claude Code binary configured)',
        evidence: null,
      };
    if (options.context === undefined)
      return { ok: false, message: 'the judge needs the goal (no goal context was given)', evidence: null };
    const context = options.context;
    const changes = (await isGitWorkTree(workspacePath))
      ? await changesSinceBase(workspacePath, context.baseCommit, { withPatch: true })
      : { paths: [], patch: '(the workspace is not a git repository: no diff)', patchTruncated: false };
    const outcome = await runJudge(
      {
        goalDescription: context.goalDescription,
        criterionText,
        diff: changes.patch,
        diffTruncated: changes.patchTruncated,
        changedPaths: changes.paths,
        cwd: workspacePath,
        model: context.model,
        signal: options.signal,
      },
      this.judge,
    );
    const spent = { costUsd: outcome.costUsd, tokens: outcome.tokens };
    if (outcome.verdict === 'pass') return { ok: true, ...spent };
    return { ok: false, message: outcome.message, evidence: outcome.answer !== '' ? outcome.answer : null, ...spent };
  }

  private async runShell(
    criterion: Extract<AcceptanceCriterion, { kind: 'shell_command' }>,
    cwd: string,
    signal: AbortSignal | undefined,
  ): Promise<CriterionResult> {
    const timeoutSecs = criterion.timeoutSecs > 0 ? criterion.timeoutSecs : this.defaultTimeoutSecs;
    const run = await runShellCommand(criterion.command, cwd, {
      timeoutMs: timeoutSecs * 1000,
      capBytes: this.outputCapBytes,
      tailBytes: this.evidenceByteLimit,
      env: this.env,
      signal,
    });
    const evidence = tailBytes(`${run.stdoutTail}\n--- STDERR ---\n${run.stderrTail}`, this.evidenceByteLimit);
    if (run.spawnError !== null) return { ok: false, message: `could not run: ${run.spawnError}`, evidence: null };
    if (run.cancelled) return { ok: false, message: 'cancelled', evidence };
    if (run.timedOut) return { ok: false, message: `timed out after ${timeoutSecs}s`, evidence };
    if (run.exitCode !== criterion.expectedExit) {
      const got = run.exitCode !== null ? String(run.exitCode) : `signal ${run.signal ?? 'unknown'}`;
      return { ok: false, message: `exit ${got} != ${criterion.expectedExit}`, evidence };
    }
    if (criterion.stdoutMustMatch !== null) {
      const match = await matchInWorker(criterion.stdoutMustMatch, run.stdout, {
        timeLimitMs: this.regexTimeLimitMs,
        ...(signal !== undefined ? { signal } : {}),
      });
      const problem = regexProblem(match, criterion.stdoutMustMatch, 'stdout');
      if (problem !== null) return { ok: false, message: problem, evidence };
      if (match.kind === 'not_matched')
        return { ok: false, message: `stdout did not match ${criterion.stdoutMustMatch}`, evidence };
    }
    return { ok: true };
  }
}

async function checkClean(workspacePath: string): Promise<CriterionResult> {
  if (!(await isGitWorkTree(workspacePath)))
    return { ok: false, message: 'git_clean: the workspace is not a git repository', evidence: null };
  const dirty = await uncommittedChanges(workspacePath);
  if (dirty.length === 0) return { ok: true };
  return {
    ok: false,
    message: `git_clean: workspace dirty (${dirty.length} uncommitted change${dirty.length === 1 ? '' : 's'})`,
    evidence: dirty.slice(0, 50).join('\n'),
  };
}

async function checkUntouched(
  globs: readonly string[],
  workspacePath: string,
  context: AcceptanceContext | undefined,
): Promise<CriterionResult> {
  if (!(await isGitWorkTree(workspacePath)))
    return { ok: false, message: 'no_paths_touched: the workspace is not a git repository', evidence: null };
  const { paths } = await changesSinceBase(
    workspacePath,
    context !== undefined ? context.baseCommit : await headCommit(workspacePath),
  );
  const hits = forbiddenPaths(paths, globs);
  if (hits.length === 0) return { ok: true };
  const shown = hits.slice(0, 20).join(', ');
  return {
    ok: false,
    message: `no_paths_touched: changed forbidden paths: ${shown}${hits.length > 20 ? ` (and ${hits.length - 20} more)` : ''}`,
    evidence: null,
  };
}

async function matchFile(
  criterion: Extract<AcceptanceCriterion, { kind: 'file_matches' }>,
  workspacePath: string,
  regexTimeLimitMs: number,
  signal: AbortSignal | undefined,
): Promise<CriterionResult> {
  const root = await realpath(workspacePath);
  const target = resolve(root, criterion.path);
  if (!isInside(root, target)) {
    return { ok: false, message: `file_matches path escapes workspace: ${criterion.path}`, evidence: null };
  }
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    return criterion.required
      ? { ok: false, message: `file not found: ${criterion.path}`, evidence: null }
      : { ok: true };
  }
  const canonical = await realpath(target);
  if (!isInside(root, canonical)) {
    return {
      ok: false,
      message: `file_matches path escapes workspace: ${criterion.path} resolves to ${canonical}`,
      evidence: null,
    };
  }
  let content: string;
  try {
    content = await readFile(canonical, 'utf8');
  } catch (error) {
    return { ok: false, message: `cannot read ${criterion.path}: ${errorText(error)}`, evidence: null };
  }
  const match = await matchInWorker(criterion.regex, content, {
    timeLimitMs: regexTimeLimitMs,
    ...(signal !== undefined ? { signal } : {}),
  });
  const problem = regexProblem(match, criterion.regex, '');
  if (problem !== null) return { ok: false, message: problem, evidence: null };
  if (match.kind === 'not_matched') {
    return {
      ok: false,
      message: `file_matches(${criterion.path}): regex did not match: ${criterion.regex}`,
      evidence: null,
    };
  }
  return { ok: true };
}

function isInside(root: string, target: string): boolean {
  if (target === root) return true;
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export interface ShellRun {
  exitCode: number | null;
  signal: string | null;
  /** The first capBytes of stdout. */
  stdout: string;
  stdoutTail: string;
  stderrTail: string;
  timedOut: boolean;
  cancelled: boolean;
  spawnError: string | null;
}

/** Runs `/bin/sh -c command` in its own process group; both pipes are drained while it runs. */
export function runShellCommand(
  command: string,
  cwd: string,
  options: {
    timeoutMs: number;
    capBytes: number;
    tailBytes: number;
    env: NodeJS.ProcessEnv;
    signal?: AbortSignal | undefined;
  },
): Promise<ShellRun> {
  return new Promise((resolvePromise) => {
    const stdout = new CappedCapture(options.capBytes, options.tailBytes);
    const stderr = new CappedCapture(options.capBytes, options.tailBytes);
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      killGroup();
    };
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const finish = (exitCode: number | null, signal: string | null, spawnError: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      killGroup(); // leftovers the command started in the background
      resolvePromise({
        exitCode,
        signal,
        stdout: stdout.head(),
        stdoutTail: stdout.tail(),
        stderrTail: stderr.tail(),
        timedOut,
        cancelled,
        spawnError,
      });
    };
    child.on('error', (error) => finish(null, null, errorText(error)));
    child.on('exit', (code, signal) => {
      // Give the pipes a moment to drain; a background grandchild may hold them open.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal, null);
      }, 1000);
      child.on('close', () => {
        clearTimeout(drain);
        finish(code, signal, null);
      });
    });
  });
}

/** Keeps the first `capBytes` and the last `tailBytes` of a stream. */
class CappedCapture {
  private readonly headChunks: Buffer[] = [];
  private headSize = 0;
  private tailBuffer: Buffer = Buffer.alloc(0);

  constructor(
    private readonly capBytes: number,
    private readonly tailLimit: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.headSize < this.capBytes) {
      const part = chunk.subarray(0, this.capBytes - this.headSize);
      this.headChunks.push(part);
      this.headSize += part.length;
    }
    const joined = Buffer.concat([this.tailBuffer, chunk]);
    this.tailBuffer = joined.length > this.tailLimit ? joined.subarray(joined.length - this.tailLimit) : joined;
  }

  head(): string {
    return Buffer.concat(this.headChunks).toString('utf8');
  }

  tail(): string {
    return this.tailBuffer.toString('utf8').replace(/^\uFFFD+/, '');
  }
}

/** The last `limit` bytes of a text, cut at a character boundary. */
export function tailBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  return bytes
    .subarray(bytes.length - limit)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
