// Acceptance evaluator: runs every criterion of a goal in declaration order (all of them, not stopping
// at the first failure) and gathers the failures into one verdict. shell_command runs `/bin/sh -c` in
// the workspace (acceptance/shell-run.ts: 1 MiB caps on both streams, the process group killed on
// timeout); file_matches, git_clean and no_paths_touched read the workspace
// (acceptance/workspace-checks.ts, asking git through acceptance/git-checks.ts); llm_judge asks a
// read-only Claude call (acceptance/judge.ts), whose cost the verdict carries. Regexes never run on the
// host's event loop (acceptance/regex-match.ts). Problems (bad regex, escaping path, spawn failure)
// become failures with a clear message instead of failing the goal.
import type { AcceptanceCriterion, AcceptanceFailure, AcceptanceVerdict } from '../../shared/domain/goal.js';
import { criterionLabel } from '../../shared/domain/acceptance-rules.js';
import { changesSinceBase, isGitWorkTree } from './acceptance/git-checks.js';
import { runJudge, type JudgeConfig } from './acceptance/judge.js';
import { DEFAULT_REGEX_TIME_LIMIT_MS, matchInWorker, regexProblem } from './acceptance/regex-match.js';
import { runShellCommand, tailBytes } from './acceptance/shell-run.js';
import { checkClean, checkUntouched, matchFile, type CriterionResult } from './acceptance/workspace-checks.js';
import { errorText } from './error-text.js';

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
