// One turn (driver-spec §3) with the fixes of §15: spawn Claude Code, record every stdout line as the
// turn's transcript and publish normalized `turn_output` entries, capture the session id from every
// line, count tokens (input + output + cache_read) and cost (total_cost_usd), and classify the turn from
// its `result` line, never from the exit code (`is_error` on a success result is an error). Acceptance
// runs only when Claude claims success. The AttemptRunner interface lets tests inject a fake.
import type {
  AcceptanceVerdict,
  AttemptOutcome,
  BudgetUsage,
  Goal,
} from '../../shared/domain/goal.js';
import type { AcceptanceEvaluator } from './acceptance.js';
import { ContextReadingCollector, type ContextReading } from './context-pressure.js';
import { buildClaudeArgs, ClaudeTurn, type TurnStopReason } from './claude-process.js';
import type { EventSink, SessionBindingStore, SessionRewindStore, TranscriptSink, Workspace } from './ports.js';
import { isResumeAtMissing, rewindLaunch } from './rewind.js';
import { normalizeLine, parseStreamLine, resultErrorText, resultTokens, sessionIdOf, type ResultLine } from './stream.js';
import { ATTEMPT_REASONS, classifyTurn } from './turn-verdict.js';

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
    const { goal, turnIndex } = params;
    const binding = this.deps.bindings.get(goal.id);
    const base = emptyOutput(params.usage);
    if (params.stop.reason() === 'cancel') return { ...base, outcome: { kind: 'cancelled' } };
    if (params.stop.reason() === 'stop_turn') return { ...base, outcome: { kind: 'continue', reason: ATTEMPT_REASONS.stoppedByOperator } };
    if (params.compact && binding === null) {
      return { ...base, outcome: { kind: 'continue', reason: ATTEMPT_REASONS.noSessionToCompact } };
    }

    // After a rollback, a work turn resumes the conversation cut before the undone turns (or a fresh one).
    const rewind = params.compact ? null : (this.deps.rewinds?.pending(goal.id) ?? null);
    const launch = rewind !== null ? rewindLaunch(rewind) : { resumeSessionId: binding?.sessionId ?? null, args: [] };
    // Filled by the line handler while the process runs.
    const seen: { sessionId: string | null; result: ResultLine | null; afterCompactBoundary: boolean; compactMessage: string | null } = {
      sessionId: rewind !== null ? null : (binding?.sessionId ?? null),
      result: null,
      afterCompactBoundary: false,
      compactMessage: null,
    };
    const started = Date.now();
    const contextReading = new ContextReadingCollector();
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
      }),
      cwd: params.workspace.path,
      env: claudeEnvironment(this.config.env),
      timeoutMs: this.config.turnTimeoutMs,
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
        if (parsed.kind === 'user' && seen.afterCompactBoundary && seen.compactMessage === null && typeof parsed.line.message.content === 'string') {
          seen.compactMessage = parsed.line.message.content;
        }
        if (parsed.kind === 'assistant') contextReading.assistant(parsed.line);
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
    if (turn.pid !== null) this.safely(() => this.deps.transcripts.recordProcess(goal.id, turnIndex, turn.pid ?? 0, new Date(started).toISOString()));
    const exit = await turn.exited;
    params.stop.signal.removeEventListener('abort', onStop);
    this.safely(() => this.deps.transcripts.clearProcess(goal.id));
    if (exit.leftoversKilled.length > 0) {
      this.warn(goal.id, `killed ${exit.leftoversKilled.length} process(es) left behind by the turn: ${exit.leftoversKilled.join(', ')}`);
    }

    const finalResult = seen.result;
    const sessionId = seen.sessionId;
    if (rewind !== null && launch.resumeSessionId !== null && isResumeAtMissing(exit.stderrTail, finalResult !== null ? resultErrorText(finalResult) : '')) {
      this.safely(() => this.deps.rewinds?.fallBackToFresh(goal.id));
      this.warn(goal.id, 'Claude Code could not resume the conversation before the rolled-back turns; starting a fresh session with a note instead');
      return { ...base, usageAfter: { ...params.usage, wallTimeMs: params.usage.wallTimeMs + (Date.now() - started) }, outcome: { kind: 'continue', reason: ATTEMPT_REASONS.sessionInvalid } };
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
      context: contextReading.reading(),
      finalText: finalResult !== null && !finalResult.is_error && finalResult.subtype === 'success' ? (finalResult.result ?? null) : null,
    };
    if (sessionId !== null) {
      this.deps.bindings.upsert({ goalId: goal.id, sessionId, model: goal.model, workspace: params.workspace.path });
    }

    const verdict = classifyTurn({
      result: finalResult,
      spawnError: exit.spawnError,
      stopCause: params.stop.reason(),
      timedOut: exit.stopReason === 'timeout',
      compact: params.compact,
    });
    switch (verdict.kind) {
      case 'outcome':
        return { ...output, finalText: verdict.outcome.kind === 'sleep' ? null : output.finalText, outcome: verdict.outcome };
      case 'no_result': {
        const stderr = exit.stderrTail.trim();
        this.warn(goal.id, `claude exited (code ${exit.exitCode ?? 'none'}, signal ${exit.signal ?? 'none'}) without a result line${stderr !== '' ? `: ${stderr.slice(-500)}` : ''}`);
        return { ...output, outcome: { kind: 'continue', reason: ATTEMPT_REASONS.noResult } };
      }
      case 'session_invalid':
        this.deps.bindings.markInvalid(goal.id);
        return { ...output, outcome: { kind: 'continue', reason: ATTEMPT_REASONS.sessionInvalid } };
      case 'compacted': {
        const text = finalResult?.result;
        const summary = text !== null && text !== undefined && text.trim() !== '' ? text : seen.compactMessage;
        return { ...output, compactSummary: summary, outcome: { kind: 'done' } };
      }
      case 'evaluate': {
        const acceptance = await this.evaluate(params);
        if (params.stop.reason() === 'cancel') return { ...output, acceptance, outcome: { kind: 'cancelled' } };
        return { ...output, acceptance, outcome: acceptance.met ? { kind: 'done' } : { kind: 'needs_retry', failures: acceptance.failures } };
      }
    }
  }

  private async evaluate(params: AttemptParams): Promise<AcceptanceVerdict> {
    const started = Date.now();
    try {
      return await this.deps.acceptance.evaluate(params.goal.acceptance, params.workspace.path, { signal: params.stop.signal });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        met: false,
        failures: [{ criterionIndex: 0, criterionLabel: 'acceptance', message: `acceptance evaluator failed: ${message}`, evidence: null }],
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

function emptyOutput(usage: BudgetUsage): AttemptRunOutput {
  return {
    outcome: { kind: 'continue', reason: ATTEMPT_REASONS.noResult },
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
