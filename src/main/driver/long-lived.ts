// The long-lived attempt runner (docs/long-lived-mode.md): one Claude Code process per goal in
// stream-json input mode, one user message a turn, read to that turn's `result` line; the process
// stays up between turns. Anything that is not the plain case ends the live process: a stop or a
// cancel (SIGINT, then the kill grace, as for a per-turn process), the idle turn timeout, a process
// that died, settings that change its argv. Compact turns and the first turn after a rollback run as a
// process of their own, exactly as the per-turn runner runs them; a goal that pauses, waits at a cap or
// sleeps lets its process go. The next work turn then starts a new live process with `--resume <session>`. The verdict, acceptance, budget and session binding of a turn
// are the per-turn runner's (attempt.ts): only how the turn's process is obtained differs here.
import type { GoalId } from '../../shared/domain/goal.js';
import { goalTools } from '../../shared/domain/goal.js';
import { ClaudeAttemptRunner, type ClaudeAttemptConfig, type ClaudeAttemptDeps } from './attempt.js';
import type { AttemptParams, AttemptRunner, AttemptRunOutput } from './attempt-port.js';
import {
  claudeEnvironment,
  processStopReason,
  runClaudeProcess,
  turnLineReader,
  type ProcessRun,
  type ProcessRunner,
  type RewindLaunch,
} from './attempt-process.js';
import {
  buildClaudeArgs,
  ClaudeTurn,
  loadProcessSpawner,
  type ClaudeTurnExit,
  type ProcessSpawner,
} from './claude-process.js';
import { costPerTurn, userMessageLine } from './long-lived-input.js';
import { STDIO_PROMPT_TOOL } from './mcp-config.js';
import type { PermissionPrompts } from './ports.js';
import { StdioPrompts } from './stdio-prompts.js';
import { isRunning } from './process-identity.js';

/** Turns a live process runs before it is replaced (its memory grows about 1 MB a turn). */
export const DEFAULT_RECYCLE_AFTER_TURNS = 25;

/** One live Claude Code process of a goal. */
class LiveClaude {
  readonly turn: ClaudeTurn;
  readonly startedAt = new Date().toISOString();
  /** The running turn's line handler; null between turns. */
  onLine: ((line: string) => void) | null = null;
  /** True while a turn of the goal is being read. */
  active = false;
  /** The running turn waits on the operator (its idle clock does not run). */
  held: () => boolean = () => false;
  /** Turn index that owns stray lines printed between turns. */
  lastTurnIndex = 0;
  /** Turns this process has been given. */
  turnsRun = 0;
  /** `total_cost_usd` of the last result line: in this mode it counts from the process's start. */
  costSoFar = 0;
  /** The session the process is on (from its lines). */
  sessionId: string | null;
  exit: ClaudeTurnExit | null = null;
  /** Its permission prompts, when it sends them on its stdio (null: through the MCP config's bridge). */
  private readonly prompts: StdioPrompts | null;
  /** Being let go (stdin closed): no turn may use it any more. */
  ending = false;
  readonly exited: Promise<ClaudeTurnExit>;

  constructor(
    spawn: ProcessSpawner,
    readonly key: string,
    runner: ProcessRunner,
    params: AttemptParams,
    args: string[],
    timeoutMs: number,
    resumeSessionId: string | null,
  ) {
    this.sessionId = resumeSessionId;
    const goalId = params.goal.id;
    const prompts = stdioPromptsOf(params);
    this.prompts =
      prompts === null
        ? null
        : new StdioPrompts({
            prompts,
            write: (line) => this.turn.writeLine(line),
            warn: (message) => runner.warn(goalId, message),
          });
    this.turn = new ClaudeTurn(spawn, {
      claudeBin: runner.config.claudeBin,
      args,
      cwd: params.workspace.path,
      env: claudeEnvironment(runner.config.env),
      timeoutMs,
      // Between turns nobody waits on Claude: the idle clock only runs while a turn does.
      isHeld: () => !this.active || this.held(),
      killGraceMs: runner.config.killGraceMs,
      ...(runner.config.treePollMs !== undefined ? { treePollMs: runner.config.treePollMs } : {}),
      stdin: 'pipe',
      onLine: (line) => {
        this.prompts?.read(line);
        if (this.onLine !== null) this.onLine(line);
        else runner.safely(() => runner.deps.transcripts.appendLine(goalId, this.lastTurnIndex, line));
      },
    });
    this.exited = this.turn.exited.then((exit) => {
      this.exit = exit;
      this.prompts?.end();
      return exit;
    });
  }
}

/**
 * Where a live process sends its permission prompts: on its own stdio, to the goal's permission path in
 * this process, whenever the goal has one (a bridge would add a process and a socket to every prompt's way).
 */
function stdioPromptsOf(params: AttemptParams): PermissionPrompts | null {
  return params.mcpConfigPath !== null ? (params.prompts ?? null) : null;
}

/** A process still alive after a turn has no exit yet: the turn ended on its result line. */
function liveExit(): ClaudeTurnExit {
  return {
    exitCode: null,
    signal: null,
    spawnError: null,
    stopReason: null,
    forceKilled: false,
    stderrTail: '',
    leftoversKilled: [],
  };
}

/** Runs a goal's turns in one long-lived `claude` process (see the header). */
export class LongLivedAttemptRunner implements AttemptRunner {
  private readonly live = new Map<GoalId, LiveClaude>();
  private readonly attempts: ClaudeAttemptRunner;

  constructor(
    private readonly config: ClaudeAttemptConfig,
    private readonly deps: ClaudeAttemptDeps,
    /**
     * A process that has run this many turns is replaced (with `--resume`) before the next one: its memory
     * grows with the conversation it keeps (docs/long-lived-mode.md, "Memory"). 0 = never.
     */
    private readonly recycleAfterTurns: number = DEFAULT_RECYCLE_AFTER_TURNS,
  ) {
    this.attempts = new ClaudeAttemptRunner(config, deps, (runner, params, launch, knownSessionId, timeoutMs) =>
      this.launch(runner, params, launch, knownSessionId, timeoutMs),
    );
  }

  run(params: AttemptParams): Promise<AttemptRunOutput> {
    return this.attempts.run(params);
  }

  /** The goal ended or waits: close the live process's stdin, wait for it with the kill grace, sweep its leftovers. */
  async releaseGoal(goalId: GoalId): Promise<void> {
    await this.end(goalId);
  }

  private async launch(
    runner: ProcessRunner,
    params: AttemptParams,
    launch: RewindLaunch,
    knownSessionId: string | null,
    timeoutMs: number,
  ): Promise<ProcessRun> {
    const { goal } = params;
    // A compact turn, or a work turn resuming at a rollback's cut: a process of its own, as per turn.
    if (params.compact || launch.args.length > 0) {
      await this.end(goal.id);
      return runClaudeProcess(runner, params, launch, knownSessionId, timeoutMs);
    }
    // Before anything of the goal's process is looked at: nothing changes under this first wait.
    const spawn = await loadProcessSpawner();
    const args = buildClaudeArgs({
      prompt: null,
      resumeSessionId: launch.resumeSessionId,
      ...(stdioPromptsOf(params) !== null
        ? { mcpConfigPath: null, permissionPromptTool: STDIO_PROMPT_TOOL }
        : {
            mcpConfigPath: params.mcpConfigPath,
            permissionPromptTool: params.mcpConfigPath !== null ? this.config.permissionPromptTool : null,
          }),
      model: goal.model,
      settingSources: this.config.settingSources,
      extraArgs: this.config.extraArgs,
      tools: goalTools(goal),
    });
    const key = JSON.stringify({
      args: args.filter((_, index) => args[index - 1] !== '--resume' && args[index] !== '--resume'),
      cwd: params.workspace.path,
      timeoutMs,
    });
    let proc = this.live.get(goal.id);
    // A process that died since the last turn may not have been reaped yet: never write to it.
    const dead =
      proc !== undefined && proc.exit === null && proc.turn.pid !== null && !(await isRunning(proc.turn.pid));
    const stale =
      proc !== undefined &&
      (dead ||
        proc.ending ||
        proc.exit !== null ||
        proc.turn.stopping() !== null ||
        proc.key !== key ||
        (this.recycleAfterTurns > 0 && proc.turnsRun >= this.recycleAfterTurns) ||
        // The turn wants another session than the process is on (a fresh-session retry, a rewind to none).
        proc.sessionId !== launch.resumeSessionId);
    if (stale) {
      await this.end(goal.id);
      proc = undefined;
    }
    if (proc === undefined) {
      proc = new LiveClaude(spawn, key, runner, params, args, timeoutMs, launch.resumeSessionId);
      this.live.set(goal.id, proc);
      this.watchExit(runner, goal.id, proc);
    }
    return this.readTurn(runner, params, knownSessionId, proc);
  }

  /** Sends the turn's message and reads to its result line (or to the process's end). */
  private async readTurn(
    runner: ProcessRunner,
    params: AttemptParams,
    knownSessionId: string | null,
    proc: LiveClaude,
  ): Promise<ProcessRun> {
    const { goal, turnIndex } = params;
    let resultSeen: () => void = () => undefined;
    const result = new Promise<void>((resolve) => (resultSeen = resolve));
    const reader = turnLineReader(
      runner,
      params,
      knownSessionId,
      () => resultSeen(),
      (line) => {
        const perTurn = costPerTurn(line, proc.costSoFar);
        proc.costSoFar = perTurn.processTotal;
        return perTurn.line;
      },
    );
    const operator = params.operator ?? null;
    proc.onLine = (line) => {
      reader.onLine(line);
      proc.sessionId = reader.seen.sessionId ?? proc.sessionId;
    };
    proc.lastTurnIndex = turnIndex;
    proc.turnsRun += 1;
    proc.held = () => operator?.awaitingOperator() ?? false;
    proc.active = true;
    proc.turn.touch();
    const onStop = (): void => {
      const cause = params.stop.reason();
      if (cause !== null) proc.turn.stop(processStopReason[cause]);
    };
    params.stop.signal.addEventListener('abort', onStop);
    if (params.stop.signal.aborted) onStop();
    const stopListening = operator?.onDecision(() => proc.turn.touch()) ?? null;
    try {
      if (proc.turn.pid !== null) {
        const pid = proc.turn.pid;
        runner.safely(() => runner.deps.transcripts.recordProcess(goal.id, turnIndex, pid, proc.startedAt));
        proc.turn.writeLine(userMessageLine(params.prompt));
      }
      await Promise.race([result, proc.exited]);
      // A process being stopped (operator, cancel, timeout) ends: the turn is read to its exit, as per turn.
      const exit = proc.exit !== null || proc.turn.stopping() !== null ? await proc.exited : liveExit();
      return { exit, seen: reader.seen, context: reader.contextReading.reading() };
    } finally {
      params.stop.signal.removeEventListener('abort', onStop);
      runner.safely(() => stopListening?.());
      proc.active = false;
      proc.onLine = null;
      proc.held = () => false;
    }
  }

  /** When a live process ends (at any time): forget it, clear its record, report its leftovers. */
  private watchExit(runner: ProcessRunner, goalId: GoalId, proc: LiveClaude): void {
    void proc.exited.then((exit) => {
      if (this.live.get(goalId) !== proc) return;
      this.live.delete(goalId);
      runner.safely(() => this.deps.transcripts.clearProcess(goalId));
      if (exit.leftoversKilled.length > 0) {
        runner.warn(
          goalId,
          `killed ${exit.leftoversKilled.length} process(es) left behind by the goal's Claude process: ${exit.leftoversKilled.join(', ')}`,
        );
      }
    });
  }

  /** Ends the goal's live process, if any: EOF on stdin, then SIGINT and the kill grace if it lingers. */
  private async end(goalId: GoalId): Promise<void> {
    const proc = this.live.get(goalId);
    if (proc === undefined) return;
    if (proc.exit === null) {
      proc.ending = true;
      proc.turn.endInput();
      const linger = setTimeout(() => proc.turn.stop('after_result'), this.config.killGraceMs);
      try {
        await proc.exited;
      } finally {
        clearTimeout(linger);
      }
    }
    // The exit watcher ran first (it was registered at spawn); make sure the record is gone either way.
    if (this.live.get(goalId) === proc) {
      this.live.delete(goalId);
      try {
        this.deps.transcripts.clearProcess(goalId);
      } catch {
        // transcript persistence problems must not break the goal
      }
    }
  }
}
