// Spawning Claude Code once for a turn and reading it to the end: the argv and environment, every
// stdout line kept as the turn's transcript and published as normalized `turn_output` entries, the
// session id taken from every line, live token usage, the compact summary after a compact boundary,
// the context reading for compaction, MCP servers that failed to connect, the process recorded while it
// runs, and the stop signal of the goal loop forwarded to the process.
import { goalTools } from '../../shared/domain/goal.js';
import type { ClaudeAttemptConfig, ClaudeAttemptDeps } from './attempt.js';
import type { AttemptParams, TurnStopCause } from './attempt-port.js';
import {
  buildClaudeArgs,
  ClaudeTurn,
  loadProcessSpawner,
  type ClaudeTurnExit,
  type TurnStopReason,
} from './claude-process.js';
import { ContextReadingCollector, type ContextReading } from './context-pressure.js';
import { LiveTurnUsage } from './live-usage.js';
import type { rewindLaunch } from './rewind.js';
import { normalizeLine, parseStreamLine, sessionIdOf, type ResultLine } from './stream.js';

export interface SeenLines {
  sessionId: string | null;
  result: ResultLine | null;
  afterCompactBoundary: boolean;
  compactMessage: string | null;
}

/** How Claude is resumed for this turn: the bound session, or the cut made by a rollback. */
export type RewindLaunch = ReturnType<typeof rewindLaunch>;

export interface ProcessRun {
  exit: ClaudeTurnExit;
  seen: SeenLines;
  context: ContextReading;
}

export const processStopReason: Record<TurnStopCause, TurnStopReason> = { cancel: 'cancel', stop_turn: 'stop_turn' };

/**
 * Claude's environment for one attempt. In `-p` mode Claude Code connects MCP servers without
 * waiting, so a permission bridge that is slow to start (a busy machine) is missing when the first
 * tool asks and the turn dies with "MCP tool ... not found". `MCP_CONNECTION_NONBLOCKING=false`
 * makes it wait; a value the user set explicitly wins.
 */
export function claudeEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MCP_CONNECTION_NONBLOCKING: 'false', ...base };
}

/** What running the process needs of the attempt runner. */
export interface ProcessRunner {
  config: ClaudeAttemptConfig;
  deps: ClaudeAttemptDeps;
  warn(goalId: string, message: string): void;
  safely(action: () => void): void;
}

/** What a turn's stdout lines told us so far, and the handler that reads them. */
export interface TurnLineReader {
  seen: SeenLines;
  contextReading: ContextReadingCollector;
  /** Handles one stdout line of the turn (must not throw). */
  onLine(line: string): void;
}

/**
 * Reads a turn's stdout lines: each kept as the turn's transcript and published as `turn_output`,
 * the session id, MCP servers that failed, the compact summary, live usage and the context reading.
 * `onResult` is called once, on the first `result` line.
 */
export function turnLineReader(
  runner: ProcessRunner,
  params: AttemptParams,
  knownSessionId: string | null,
  onResult: () => void,
  /** Rewrites a `result` line before anything reads it (the long-lived runner makes its cost per turn). */
  adjustResult: (line: ResultLine) => ResultLine = (line) => line,
): TurnLineReader {
  const { goal, turnIndex } = params;
  const seen: SeenLines = {
    sessionId: knownSessionId,
    result: null,
    afterCompactBoundary: false,
    compactMessage: null,
  };
  const contextReading = new ContextReadingCollector();
  const liveUsage = new LiveTurnUsage();
  const onLine = (line: string): void => {
    runner.safely(() => runner.deps.transcripts.appendLine(goal.id, turnIndex, line));
    const read = parseStreamLine(line);
    const parsed = read.kind === 'result' ? { ...read, line: adjustResult(read.line) } : read;
    seen.sessionId = sessionIdOf(parsed) ?? seen.sessionId;
    for (const entry of normalizeLine(parsed)) {
      runner.deps.events.publish({ kind: 'turn_output', goalId: goal.id, turnIndex, entry });
    }
    if (parsed.kind === 'system') {
      if (parsed.line.subtype === 'compact_boundary') seen.afterCompactBoundary = true;
      for (const server of parsed.line.mcp_servers ?? []) {
        if (server.status !== undefined && server.status !== 'connected' && server.status !== 'pending') {
          runner.warn(goal.id, `MCP server "${server.name}" is ${server.status}: permission prompts may fail`);
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
        runner.deps.events.publish({
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
      onResult();
    }
  };
  return { seen, contextReading, onLine };
}

/** How a turn's Claude process is obtained and read to the turn's end (one process per turn by default). */
export type TurnLauncher = (
  runner: ProcessRunner,
  params: AttemptParams,
  launch: RewindLaunch,
  knownSessionId: string | null,
  timeoutMs: number,
) => Promise<ProcessRun>;

/** Spawns Claude once for the turn and reads it to the end. */
export async function runClaudeProcess(
  runner: ProcessRunner,
  params: AttemptParams,
  launch: RewindLaunch,
  knownSessionId: string | null,
  timeoutMs: number,
): Promise<ProcessRun> {
  const { goal, turnIndex } = params;
  const spawn = await loadProcessSpawner();
  let turn: ClaudeTurn | null = null;
  // Filled by the line handler while the process runs.
  const reader = turnLineReader(runner, params, knownSessionId, () => turn?.resultSeen());
  const started = Date.now();
  const operator = params.operator ?? null;
  turn = new ClaudeTurn(spawn, {
    claudeBin: runner.config.claudeBin,
    args: buildClaudeArgs({
      prompt: params.prompt,
      resumeSessionId: launch.resumeSessionId,
      mcpConfigPath: params.mcpConfigPath,
      permissionPromptTool: params.mcpConfigPath !== null ? runner.config.permissionPromptTool : null,
      model: goal.model,
      settingSources: runner.config.settingSources,
      extraArgs: [...launch.args, ...runner.config.extraArgs],
      tools: goalTools(goal),
    }),
    cwd: params.workspace.path,
    env: claudeEnvironment(runner.config.env),
    timeoutMs,
    ...(operator !== null ? { isHeld: () => operator.awaitingOperator() } : {}),
    killGraceMs: runner.config.killGraceMs,
    ...(runner.config.treePollMs !== undefined ? { treePollMs: runner.config.treePollMs } : {}),
    onLine: reader.onLine,
  });
  const running = turn;
  const onStop = (): void => {
    const cause = params.stop.reason();
    if (cause !== null) running.stop(processStopReason[cause]);
  };
  params.stop.signal.addEventListener('abort', onStop);
  if (params.stop.signal.aborted) onStop();
  // An operator decision ends a wait: the idle clock restarts from it.
  const stopListening = operator?.onDecision(() => running.touch()) ?? null;
  if (running.pid !== null)
    runner.safely(() =>
      runner.deps.transcripts.recordProcess(goal.id, turnIndex, running.pid ?? 0, new Date(started).toISOString()),
    );
  const exit = await running.exited;
  params.stop.signal.removeEventListener('abort', onStop);
  runner.safely(() => stopListening?.());
  runner.safely(() => runner.deps.transcripts.clearProcess(goal.id));
  if (exit.leftoversKilled.length > 0) {
    runner.warn(
      goal.id,
      `killed ${exit.leftoversKilled.length} process(es) left behind by the turn: ${exit.leftoversKilled.join(', ')}`,
    );
  }
  return { exit, seen: reader.seen, context: reader.contextReading.reading() };
}
