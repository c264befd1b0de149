// One turn (docs/driver.md, "The goal loop" step 6): spawn Claude Code, record every stdout line as the
// turn's transcript and publish normalized `turn_output` entries, capture the session id from every
// line, count tokens (input + output + cache_read) and cost (total_cost_usd), and classify the turn from
// its `result` line, never from the exit code (`is_error` on a success result is an error). Acceptance
// runs only when Claude claims success. A Claude that started without our permission tool (its MCP
// bridge was not up in time) is run once more with a fresh bridge, then the turn escalates. The turn
// timeout is an idle timeout over Claude's output that does not run while the operator is being asked.
// The AttemptRunner interface lets tests inject a fake.
import { LiveTurnUsage } from './live-usage.js';
import type { AcceptanceVerdict, AttemptOutcome, BudgetUsage, Goal } from '../../shared/domain/goal.js';
import { goalTools } from '../../shared/domain/goal.js';
import type { AcceptanceEvaluator } from './acceptance.js';
import { buildClaudeArgs, ClaudeTurn, type ClaudeTurnExit, type TurnStopReason } from './claude-process.js';
import { ContextReadingCollector, type ContextReading } from './context-pressure.js';
import type { EventSink, SessionBindingStore, SessionRewindStore, TranscriptSink, Workspace } from './ports.js';
import { isResumeAtMissing, rewindLaunch } from './rewind.js';
import {
  normalizeLine,
  parseStreamLine,
  resultErrorText,
  resultTokens,
  sessionIdOf,
  type ResultLine,
} from './stream.js';
import {
  ATTEMPT_REASONS,
  classifyTurn,
  continueBecause,
  escalateBecause,
  permissionToolMissingLine,
} from './turn-verdict.js';

export { ATTEMPT_REASONS, parseSleepSentinel } from './turn-verdict.js';

export type TurnStopCause = 'cancel' | 'stop_turn';

/** Lets the driver stop a running attempt: the goal was cancelled, or the operator stopped this turn. */
export class TurnStop {
  private readonly controller = new AbortController();
  private cause: TurnStopCause | null = null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the attempt was stopped, if it was (a method: the value changes while the attempt runs). */
  reason(): TurnStopCause | null {
    return this.cause;
  }

  /** 'cancel' overrides an earlier 'stop_turn'. */
  stop(cause: TurnStopCause): void {
    if (this.cause === null || cause === 'cancel') this.cause = cause;
    this.controller.abort();
  }
}

export interface AttemptParams {
  goal: Goal;
  workspace: Workspace;
  /** Turn counter at the start of this attempt (a retried turn keeps its index). */
  turnIndex: number;
  /** Totals before this attempt. */
  usage: BudgetUsage;
  prompt: string;
  /** A `/compact` turn that does not count as work. */
  compact: boolean;
  mcpConfigPath: string | null;
  stop: TurnStop;
  /** The goal's permission path: while it waits on the operator the turn's idle clock does not run. */
  operator?: OperatorWait | null;
  /**
   * Called once Claude is done and its claim is about to be checked; acceptance starts when the
   * returned promise settles (the goal loop starts the post-turn checkpoint here, see runTurn).
   */
  beforeAcceptance?: () => Promise<void>;
}

/** What an attempt needs to know about operator waits of its goal. */
export interface OperatorWait {
  /** True while a permission request of the goal waits for the operator. */
  awaitingOperator(): boolean;
  /** Called on every decision for the goal. Returns an unsubscribe function. */
  onDecision(listener: () => void): () => void;
}

export interface AttemptRunOutput {
  outcome: AttemptOutcome;
  usageAfter: BudgetUsage;
  acceptance: AcceptanceVerdict | null;
  finalText: string | null;
  sessionId: string | null;
  turnTokens: number;
  turnCostUsd: number;
  permissionDenials: number;
  /** On a compact turn: the summary Claude Code produced (result text, or its continuation message). */
  compactSummary: string | null;
  /** The context window and fill the CLI reported (for proactive compaction); absent when unknown. */
  context?: ContextReading;
}

export interface AttemptRunner {
  run(params: AttemptParams): Promise<AttemptRunOutput>;
}

export interface ClaudeAttemptConfig {
  claudeBin: string;
  extraArgs: readonly string[];
  settingSources: string | null;
  permissionPromptTool: string | null;
  env: NodeJS.ProcessEnv;
  /** Idle turn timeout used when the goal sets none (0 = none). */
  turnTimeoutMs: number;
  killGraceMs: number;
  treePollMs?: number;
}

export interface ClaudeAttemptDeps {
  bindings: SessionBindingStore;
  transcripts: TranscriptSink;
  events: EventSink;
  acceptance: AcceptanceEvaluator;
  /** Rewinds a rollback left (see rewind.ts); absent: never rewinds. */
  rewinds?: SessionRewindStore | null;
}

interface SeenLines {
  sessionId: string | null;
  result: ResultLine | null;
  afterCompactBoundary: boolean;
  compactMessage: string | null;
}

/** How Claude is resumed for this turn: the bound session, or the cut made by a rollback. */
type RewindLaunch = ReturnType<typeof rewindLaunch>;

interface ProcessRun {
  exit: ClaudeTurnExit;
  seen: SeenLines;
  context: ContextReading;
}

/** The goal's own turn timeout when it set one, else the host's. */
export function turnTimeoutOf(goal: Goal, hostDefaultMs: number): number {
  return goal.turnTimeoutMs ?? hostDefaultMs;
}

const processStopReason: Record<TurnStopCause, TurnStopReason> = { cancel: 'cancel', stop_turn: 'stop_turn' };

/**
 * Claude's environment for one attempt. In `-p` mode Claude Code connects MCP servers without
 * waiting, so a permission bridge that is slow to start (a busy machine) is missing when the first
 * tool asks and the turn dies with "MCP tool ... not found". `MCP_CONNECTION_NONBLOCKING=false`
 * makes it wait; a value the user set explicitly wins.
 */
export function claudeEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MCP_CONNECTION_NONBLOCKING: 'false', ...base };
}

/** Runs a turn with the real `claude` binary. */
export class ClaudeAttemptRunner implements AttemptRunner {
  constructor(
    private readonly config: ClaudeAttemptConfig,
    private readonly deps: ClaudeAttemptDeps,
  ) {}

  async run(params: AttemptParams): Promise<AttemptRunOutput> {
    const { goal } = params;
    const binding = this.deps.bindings.get(goal.id);
    const base = emptyOutput(params.usage);
    if (params.stop.reason() === 'cancel') return { ...base, outcome: { kind: 'cancelled' } };
    if (params.stop.reason() === 'stop_turn') return { ...base, outcome: continueBecause('stopped_by_operator') };
    if (params.compact && binding === null) {
      return { ...base, outcome: continueBecause('no_session_to_compact') };
    }

    // After a rollback, a work turn resumes the conversation cut before the undone turns (or a fresh one).
    const rewind = params.compact ? null : (this.deps.rewinds?.pending(goal.id) ?? null);
    const launch: RewindLaunch =
      rewind !== null ? rewindLaunch(rewind) : { resumeSessionId: binding?.sessionId ?? null, args: [] };
    const knownSessionId = rewind !== null ? null : (binding?.sessionId ?? null);
    const started = Date.now();
    const timeoutMs = turnTimeoutOf(goal, this.config.turnTimeoutMs);
    let run = await this.runProcess(params, launch, knownSessionId, timeoutMs);
    // Claude started without our permission tool (its MCP server was not up in time): nothing ran that
    // needed a permission, so the same turn is run once more, with a fresh bridge.
    const missing =
      run.seen.result === null && params.stop.reason() === null ? permissionToolMissingLine(run.exit.stderrTail) : null;
    if (missing !== null) {
      this.warn(
        goal.id,
        `Claude Code started without Overseer's permission tool (${missing}); retrying the turn once with a fresh bridge`,
      );
      run = await this.runProcess(params, launch, knownSessionId, timeoutMs);
    }
    const { exit, seen } = run;

    const finalResult = seen.result;
    const sessionId = seen.sessionId;
    if (
      rewind !== null &&
      launch.resumeSessionId !== null &&
      isResumeAtMissing(exit.stderrTail, finalResult !== null ? resultErrorText(finalResult) : '')
    ) {
      this.safely(() => this.deps.rewinds?.fallBackToFresh(goal.id));
      this.warn(
        goal.id,
        'Claude Code could not resume the conversation before the rolled-back turns; starting a fresh session with a note instead',
      );
      return {
        ...base,
        usageAfter: { ...params.usage, wallTimeMs: params.usage.wallTimeMs + (Date.now() - started) },
        outcome: continueBecause('session_invalid'),
      };
    }
    if (rewind !== null && sessionId !== null) this.safely(() => this.deps.rewinds?.clear(goal.id));
    const turnTokens = finalResult !== null ? resultTokens(finalResult) : 0;
    const turnCostUsd = finalResult?.total_cost_usd ?? 0;
    const usageAfter: BudgetUsage = {
      ...params.usage,
      tokens: params.usage.tokens + turnTokens,
      costUsd: params.usage.costUsd + turnCostUsd,
      wallTimeMs: params.usage.wallTimeMs + (Date.now() - started),
    };
    const output: AttemptRunOutput = {
      ...base,
      usageAfter,
      sessionId,
      turnTokens,
      turnCostUsd,
      permissionDenials: finalResult?.permission_denials.length ?? 0,
      context: run.context,
      finalText:
        finalResult !== null && !finalResult.is_error && finalResult.subtype === 'success'
          ? (finalResult.result ?? null)
          : null,
    };
    if (sessionId !== null) {
      this.deps.bindings.upsert({ goalId: goal.id, sessionId, model: goal.model, workspace: params.workspace.path });
    }

    const verdict = classifyTurn({
      result: finalResult,
      spawnError: exit.spawnError,
      stopCause: params.stop.reason(),
      timedOut: exit.stopReason === 'timeout',
      timeoutMs,
      compact: params.compact,
    });
    switch (verdict.kind) {
      case 'outcome':
        return {
          ...output,
          finalText: verdict.outcome.kind === 'sleep' ? null : output.finalText,
          outcome: verdict.outcome,
        };
      case 'no_result': {
        const stderr = exit.stderrTail.trim();
        const stillMissing = missing !== null ? permissionToolMissingLine(stderr) : null;
        if (stillMissing !== null) {
          const reason = `${ATTEMPT_REASONS.permission_tool_missing}: Claude Code twice started without Overseer's permission tool (its bridge did not answer in time), so the turn could not ask for permissions: ${stillMissing}`;
          return { ...output, outcome: escalateBecause('permission_tool_missing', reason) };
        }
        this.warn(
          goal.id,
          `claude exited (code ${exit.exitCode ?? 'none'}, signal ${exit.signal ?? 'none'}) without a result line${stderr !== '' ? `: ${stderr.slice(-500)}` : ''}`,
        );
        return { ...output, outcome: continueBecause('no_result') };
      }
      case 'session_invalid':
        this.deps.bindings.markInvalid(goal.id);
        return { ...output, outcome: continueBecause('session_invalid') };
      case 'compacted': {
        const text = finalResult?.result;
        const summary = text !== null && text !== undefined && text.trim() !== '' ? text : seen.compactMessage;
        return { ...output, compactSummary: summary, outcome: { kind: 'done' } };
      }
      case 'evaluate': {
        await params.beforeAcceptance?.().catch(() => undefined);
        const acceptance = await this.evaluate(params);
        // What the checks spent (the judge's Claude calls) counts toward the goal's budget.
        output.usageAfter = {
          ...usageAfter,
          costUsd: usageAfter.costUsd + (acceptance.costUsd ?? 0),
          tokens: usageAfter.tokens + (acceptance.tokens ?? 0),
        };
        const stopped = params.stop.reason();
        if (stopped === 'cancel') return { ...output, acceptance, outcome: { kind: 'cancelled' } };
        // Stopped while the checks ran: their "cancelled" failures are not a verdict on the work.
        if (stopped === 'stop_turn') return { ...output, outcome: continueBecause('stopped_by_operator') };
        return {
          ...output,
          acceptance,
          outcome: acceptance.met ? { kind: 'done' } : { kind: 'needs_retry', failures: acceptance.failures },
        };
      }
    }
  }

  /** Spawns Claude once for the turn and reads it to the end. */
  private async runProcess(
    params: AttemptParams,
    launch: RewindLaunch,
    knownSessionId: string | null,
    timeoutMs: number,
  ): Promise<ProcessRun> {
    const { goal, turnIndex } = params;
    // Filled by the line handler while the process runs.
    const seen: SeenLines = {
      sessionId: knownSessionId,
      result: null,
      afterCompactBoundary: false,
      compactMessage: null,
    };
    const contextReading = new ContextReadingCollector();
    const liveUsage = new LiveTurnUsage();
    const started = Date.now();
    const operator = params.operator ?? null;
    const turn = new ClaudeTurn({
      claudeBin: this.config.claudeBin,
      args: buildClaudeArgs({
        prompt: params.prompt,
        resumeSessionId: launch.resumeSessionId,
        mcpConfigPath: params.mcpConfigPath,
        permissionPromptTool: params.mcpConfigPath !== null ? this.config.permissionPromptTool : null,
        model: goal.model,
        settingSources: this.config.settingSources,
        extraArgs: [...launch.args, ...this.config.extraArgs],
        tools: goalTools(goal),
      }),
      cwd: params.workspace.path,
      env: claudeEnvironment(this.config.env),
      timeoutMs,
      ...(operator !== null ? { isHeld: () => operator.awaitingOperator() } : {}),
      killGraceMs: this.config.killGraceMs,
      ...(this.config.treePollMs !== undefined ? { treePollMs: this.config.treePollMs } : {}),
      onLine: (line) => {
        this.safely(() => this.deps.transcripts.appendLine(goal.id, turnIndex, line));
        const parsed = parseStreamLine(line);
        seen.sessionId = sessionIdOf(parsed) ?? seen.sessionId;
        for (const entry of normalizeLine(parsed)) {
          this.deps.events.publish({ kind: 'turn_output', goalId: goal.id, turnIndex, entry });
        }
        if (parsed.kind === 'system') {
          if (parsed.line.subtype === 'compact_boundary') seen.afterCompactBoundary = true;
          for (const server of parsed.line.mcp_servers ?? []) {
            if (server.status !== undefined && server.status !== 'connected' && server.status !== 'pending') {
              this.warn(goal.id, `MCP server "${server.name}" is ${server.status}: permission prompts may fail`);
            }
          }
        }
        if (
          parsed.kind === 'user' &&
          seen.afterCompactBoundary &&
          seen.compactMessage === null &&
          typeof parsed.line.message.content === 'string'
        ) {
          seen.compactMessage = parsed.line.message.content;
        }
        if (parsed.kind === 'assistant') {
          contextReading.assistant(parsed.line);
          const live = liveUsage.assistant(parsed.line);
          if (live !== null)
            this.deps.events.publish({
              kind: 'turn_usage',
              goalId: goal.id,
              turnIndex,
              tokens: live.tokens,
              costUsd: live.costUsd,
            });
        }
        if (parsed.kind === 'result' && seen.result === null) {
          contextReading.resultLine(parsed.line);
          seen.result = parsed.line;
          turn.resultSeen();
        }
      },
    });
    const onStop = (): void => {
      const cause = params.stop.reason();
      if (cause !== null) turn.stop(processStopReason[cause]);
    };
    params.stop.signal.addEventListener('abort', onStop);
    if (params.stop.signal.aborted) onStop();
    // An operator decision ends a wait: the idle clock restarts from it.
    const stopListening = operator?.onDecision(() => turn.touch()) ?? null;
    if (turn.pid !== null)
      this.safely(() =>
        this.deps.transcripts.recordProcess(goal.id, turnIndex, turn.pid ?? 0, new Date(started).toISOString()),
      );
    const exit = await turn.exited;
    params.stop.signal.removeEventListener('abort', onStop);
    this.safely(() => stopListening?.());
    this.safely(() => this.deps.transcripts.clearProcess(goal.id));
    if (exit.leftoversKilled.length > 0) {
      this.warn(
        goal.id,
        `killed ${exit.leftoversKilled.length} process(es) left behind by the turn: ${exit.leftoversKilled.join(', ')}`,
      );
    }
    return { exit, seen, context: contextReading.reading() };
  }

  private async evaluate(params: AttemptParams): Promise<AcceptanceVerdict> {
    const started = Date.now();
    try {
      return await this.deps.acceptance.evaluate(params.goal.acceptance, params.workspace.path, {
        signal: params.stop.signal,
        context: {
          goalDescription: params.goal.description,
          model: params.goal.model,
          baseCommit: params.workspace.baseCommit,
        },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        met: false,
        failures: [
          {
            criterionIndex: 0,
            criterionLabel: 'acceptance',
            message: `acceptance evaluator failed: ${message}`,
            evidence: null,
          },
        ],
        evaluatedAt: new Date().toISOString(),
        elapsedMs: Date.now() - started,
      };
    }
  }

  private warn(goalId: string, message: string): void {
    this.deps.events.publish({ kind: 'driver_warning', goalId, message });
  }

  private safely(action: () => void): void {
    try {
      action();
    } catch {
      // transcript persistence problems must not break the turn
    }
  }
}

/** An attempt's output when nothing ran and nothing was used. */
export function emptyOutput(usage: BudgetUsage): AttemptRunOutput {
  return {
    outcome: continueBecause('no_result'),
    usageAfter: usage,
    acceptance: null,
    finalText: null,
    sessionId: null,
    turnTokens: 0,
    turnCostUsd: 0,
    permissionDenials: 0,
    compactSummary: null,
  };
}
