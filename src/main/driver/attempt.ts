// One turn (docs/driver.md, "The goal loop" step 6): spawn Claude Code and read it to the end
// (attempt-process.ts), count tokens (input + output + cache_read) and cost (total_cost_usd), keep the
// goal's session binding, and classify the turn from its `result` line, never from the exit code
// (`is_error` on a success result is an error). Acceptance runs only when Claude claims success. A
// Claude that started without our permission tool (its MCP bridge was not up in time) is run once more
// with a fresh bridge, then the turn escalates. The turn timeout is an idle timeout over Claude's
// output that does not run while the operator is being asked. The AttemptRunner interface
// (attempt-port.ts) lets tests inject a fake.
import type { AcceptanceVerdict, BudgetUsage, Goal } from '../../shared/domain/goal.js';
import type { AcceptanceEvaluator } from './acceptance.js';
import { emptyOutput, type AttemptParams, type AttemptRunner, type AttemptRunOutput } from './attempt-port.js';
import { runClaudeProcess, type ProcessRunner, type RewindLaunch, type TurnLauncher } from './attempt-process.js';
import type { EventSink, SessionBindingStore, SessionRewindStore, TranscriptSink } from './ports.js';
import { isResumeAtMissing, rewindLaunch } from './rewind.js';
import { resultErrorText, resultTokens } from './stream.js';
import {
  ATTEMPT_REASONS,
  classifyTurn,
  continueBecause,
  escalateBecause,
  permissionToolMissingLine,
} from './turn-verdict.js';

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

/** The goal's own turn timeout when it set one, else the host's. */
export function turnTimeoutOf(goal: Goal, hostDefaultMs: number): number {
  return goal.turnTimeoutMs ?? hostDefaultMs;
}

/** Runs a turn with the real `claude` binary. */
export class ClaudeAttemptRunner implements AttemptRunner {
  constructor(
    private readonly config: ClaudeAttemptConfig,
    private readonly deps: ClaudeAttemptDeps,
    /** How the turn's Claude process is obtained: a fresh process per turn unless told otherwise. */
    private readonly launchTurn: TurnLauncher = runClaudeProcess,
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
    let run = await this.launchTurn(this.processRunner(), params, launch, knownSessionId, timeoutMs);
    // Claude started without our permission tool (its MCP server was not up in time): nothing ran that
    // needed a permission, so the same turn is run once more, with a fresh bridge.
    const missing =
      run.seen.result === null && params.stop.reason() === null ? permissionToolMissingLine(run.exit.stderrTail) : null;
    if (missing !== null) {
      this.warn(
        goal.id,
        `Claude Code started without Overseer's permission tool (${missing}); retrying the turn once with a fresh bridge`,
      );
      run = await this.launchTurn(this.processRunner(), params, launch, knownSessionId, timeoutMs);
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

  /** What spawning the process needs of this runner. */
  private processRunner(): ProcessRunner {
    return {
      config: this.config,
      deps: this.deps,
      warn: (goalId, message) => this.warn(goalId, message),
      safely: (action) => this.safely(action),
    };
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
