// One Claude Code process per turn: the argv (print mode, stream-json output, Overseer's flags), spawning with
// execa in its own process group with the workspace as cwd, reading stdout line by line, the per-turn
// idle timeout, and stopping: SIGINT first (Claude Code then ends the turn cleanly and kills its tool
// shells), SIGKILL of the process group after a grace period, then a sweep of leftover descendants
// (tool shells live in their own sessions, see process-tree.ts). With stdin piped, the same process
// serves a long-lived runner (long-lived.ts) that writes a stream-json message a turn.
import { StringDecoder } from 'node:string_decoder';
import type { execa } from 'execa';
import type { GoalTools } from '../../shared/domain/goal.js';
import { ProcessTreeTracker } from './process-tree.js';
import { STDIO_PROMPT_TOOL } from './mcp-config.js';

export interface ClaudeArgsInput {
  /** The turn's prompt; null for a long-lived process that reads one user message a turn on stdin (stream-json). */
  prompt: string | null;
  resumeSessionId: string | null;
  mcpConfigPath: string | null;
  /** `mcp__<server>__<tool>` of the MCP config, or `stdio` (prompts on Claude's own stdio, no MCP server at all). */
  permissionPromptTool: string | null;
  model: string | null;
  /** Value of --setting-sources ("user" by default so a repository's own hooks do not run); null omits the flag. */
  settingSources: string | null;
  extraArgs: readonly string[];
  /** The goal's own tool options (allowed/disallowed tools, extra directories, appended system prompt). */
  tools?: GoalTools;
}

/**
 * `-p <prompt> --output-format stream-json --verbose [--resume id] [--mcp-config f] [--strict-mcp-config]
 * [--permission-prompt-tool t] [--model m] [--setting-sources s] [goal tool options] ...extra`.
 */
export function buildClaudeArgs(input: ClaudeArgsInput): string[] {
  const args =
    input.prompt === null
      ? ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose']
      : // The prompt is a positional argument: one starting with "-" would be read as an option.
        [
          '-p',
          input.prompt.startsWith('-') ? ` ${input.prompt}` : input.prompt,
          '--output-format',
          'stream-json',
          '--verbose',
        ];
  if (input.resumeSessionId !== null) args.push('--resume', input.resumeSessionId);
  if (input.mcpConfigPath !== null) args.push('--mcp-config', input.mcpConfigPath);
  // Only our own server, never the user's or the repository's; with stdio prompts, no MCP server at all.
  if (input.mcpConfigPath !== null || input.permissionPromptTool === STDIO_PROMPT_TOOL)
    args.push('--strict-mcp-config');
  if (input.permissionPromptTool !== null) args.push('--permission-prompt-tool', input.permissionPromptTool);
  if (input.model !== null && input.model !== '') args.push('--model', input.model);
  if (input.settingSources !== null) args.push('--setting-sources', input.settingSources);
  args.push(...goalToolArgs(input.tools));
  args.push(...input.extraArgs);
  return args;
}

/** `--add-dir d` (each), `--allowedTools a,b`, `--disallowedTools c`, `--append-system-prompt text`: omitted when empty. */
export function goalToolArgs(tools: GoalTools | undefined): string[] {
  if (tools === undefined) return [];
  const args: string[] = [];
  for (const dir of tools.addDirs) args.push('--add-dir', dir);
  if (tools.allowed.length > 0) args.push('--allowedTools', tools.allowed.join(','));
  if (tools.disallowed.length > 0) args.push('--disallowedTools', tools.disallowed.join(','));
  if (tools.appendSystemPrompt !== null && tools.appendSystemPrompt.trim() !== '')
    args.push('--append-system-prompt', tools.appendSystemPrompt);
  return args;
}

export type TurnStopReason = 'cancel' | 'stop_turn' | 'timeout' | 'after_result';

export interface ClaudeTurnOptions {
  claudeBin: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * Per-turn idle timeout: the turn is stopped after this long without a stdout line from Claude
   * (or a `touch()`), not counting time while `isHeld` says the turn waits on someone else; 0 = none.
   */
  timeoutMs: number;
  /** True while the turn is waiting for the operator (the idle clock does not run then). */
  isHeld?: () => boolean;
  /** SIGINT → SIGKILL delay. */
  killGraceMs: number;
  /** Each non-blank stdout line, in order. Must not throw. */
  onLine: (line: string) => void;
  /** Poll period of the process-tree tracker (tests). */
  treePollMs?: number;
  /** 'pipe' keeps stdin open for `writeLine` (a long-lived stream-json process); default 'ignore'. */
  stdin?: 'ignore' | 'pipe';
}

export interface ClaudeTurnExit {
  exitCode: number | null;
  signal: string | null;
  /** Set when the process could not be started (e.g. ENOENT). */
  spawnError: string | null;
  /** Why we stopped it, if we did. */
  stopReason: TurnStopReason | null;
  /** Whether the process group had to be SIGKILLed after the grace period. */
  forceKilled: boolean;
  stderrTail: string;
  /** Descendants still alive after the CLI exited, killed by the sweep. */
  leftoversKilled: number[];
}

const STDERR_TAIL_CHARS = 8192;
const STDOUT_DRAIN_MS = 2000;

/** execa's process start (cross-spawn underneath, so a Windows command shim such as claude.cmd runs too). */
export type ProcessSpawner = typeof execa;

let spawner: Promise<ProcessSpawner> | null = null;

/**
 * execa, imported when the first Claude process is to start rather than with the host: importing it
 * is about 100 ms of a process's start, and a host serving the console starts no Claude until a goal
 * runs. Later calls get the same module.
 */
export function loadProcessSpawner(): Promise<ProcessSpawner> {
  spawner ??= import('execa').then((module) => module.execa);
  return spawner;
}

export class ClaudeTurn {
  readonly pid: number | null;
  readonly exited: Promise<ClaudeTurnExit>;
  private stopReason: TurnStopReason | null = null;
  private forceKilled = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private timeoutTimer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private hasExited = false;
  private readonly tracker: ProcessTreeTracker | null;
  private stderrTail = '';
  /** When Claude last showed a sign of life (a stdout line, or a touch). */
  private lastActivity = Date.now();
  private readonly input: NodeJS.WritableStream | null;

  /** Starts the process; `spawn` from loadProcessSpawner. */
  constructor(
    spawn: ProcessSpawner,
    private readonly options: ClaudeTurnOptions,
  ) {
    const subprocess = spawn(options.claudeBin, options.args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      detached: true,
      stdin: options.stdin ?? 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      forceKillAfterDelay: false,
      cleanup: false,
    });
    this.pid = subprocess.pid ?? null;
    this.input = subprocess.stdin ?? null;
    // A process that died under us makes writes fail (EPIPE): that is its exit's business, not an error here.
    subprocess.stdin?.on('error', () => undefined);
    this.tracker = this.pid !== null ? new ProcessTreeTracker(this.pid, options.treePollMs) : null;
    this.tracker?.start();

    const decoder = new StringDecoder('utf8');
    let pending = '';
    const emit = (text: string): void => {
      // Only the new text can hold a newline: a long line arriving in many chunks is scanned once.
      const searchFrom = pending.length;
      pending += text;
      let newline = pending.indexOf('\n', searchFrom);
      while (newline >= 0) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        this.lastActivity = Date.now();
        if (line.trim() !== '') options.onLine(line);
        newline = pending.indexOf('\n');
      }
    };
    const stdoutDone = new Promise<void>((resolve) => {
      if (subprocess.stdout === null) {
        resolve();
        return;
      }
      subprocess.stdout.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
      subprocess.stdout.on('close', () => resolve());
      subprocess.stdout.on('error', () => resolve());
    });
    subprocess.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });

    if (options.timeoutMs > 0 && this.pid !== null) this.armIdleTimer();

    this.exited = new Promise<ClaudeTurnExit>((resolve) => {
      subprocess.on('exit', (code, signal) => {
        this.hasExited = true;
        this.clearTimers();
        void (async () => {
          const leftoversKilled = await this.sweep();
          const drained = await Promise.race([
            stdoutDone.then(() => true),
            new Promise<boolean>((done) => setTimeout(() => done(false), STDOUT_DRAIN_MS).unref()),
          ]);
          if (!drained) subprocess.stdout?.destroy();
          emit(`${decoder.end()}\n`);
          resolve({
            exitCode: code,
            signal,
            spawnError: null,
            stopReason: this.stopReason,
            forceKilled: this.forceKilled,
            stderrTail: this.stderrTail,
            leftoversKilled,
          });
        })();
      });
      void subprocess.then((result) => {
        if (this.pid !== null) return;
        this.clearTimers();
        resolve({
          exitCode: null,
          signal: null,
          spawnError: spawnErrorText(result.originalMessage, result.shortMessage),
          stopReason: this.stopReason,
          forceKilled: false,
          stderrTail: this.stderrTail,
          leftoversKilled: [],
        });
      });
    });
  }

  /** Writes one line on stdin (stdin 'pipe' only). false when the process can no longer take it. */
  writeLine(line: string): boolean {
    if (this.input === null || this.hasExited) return false;
    this.input.write(`${line}\n`);
    return true;
  }

  /** Closes stdin: a stream-json process ends after its current turn. */
  endInput(): void {
    this.input?.end();
  }

  /** Why we are stopping the process, if we are. */
  stopping(): TurnStopReason | null {
    return this.stopReason;
  }

  /** Something happened on Claude's behalf (e.g. the operator decided a permission request): the idle clock restarts. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  private armIdleTimer(): void {
    const due = Math.max(0, this.lastActivity + this.options.timeoutMs - Date.now());
    this.timeoutTimer = setTimeout(() => this.idleCheck(), due);
  }

  private idleCheck(): void {
    this.timeoutTimer = null;
    if (this.hasExited || this.stopReason !== null) return;
    // Waiting for the operator is not Claude being idle: the clock starts again when the wait ends.
    if (this.options.isHeld?.() === true) this.lastActivity = Date.now();
    if (Date.now() - this.lastActivity >= this.options.timeoutMs) this.stop('timeout');
    else this.armIdleTimer();
  }

  /** The result line arrived: let the CLI exit on its own, but not for longer than the grace period. */
  resultSeen(): void {
    if (this.hasExited || this.lingerTimer !== null || this.pid === null) return;
    this.lingerTimer = setTimeout(() => this.stop('after_result'), this.options.killGraceMs);
  }

  /** SIGINT now, SIGKILL of the whole group after the grace period. A later 'cancel' overrides the reason. */
  stop(reason: TurnStopReason): void {
    if (this.pid === null || this.hasExited) return;
    if (this.stopReason !== null) {
      if (reason === 'cancel') this.stopReason = 'cancel';
      return;
    }
    this.stopReason = reason;
    const pid = this.pid;
    // Snapshot the tree before signalling: on SIGINT Claude kills its tool shells, and a grandchild
    // orphaned before we ever saw its shell would no longer be traceable to this turn.
    const snapshot = this.tracker?.poll() ?? Promise.resolve();
    void snapshot.then(() => {
      if (!this.hasExited) signal(pid, 'SIGINT');
    });
    this.graceTimer = setTimeout(() => {
      void (async () => {
        await this.tracker?.poll();
        if (this.hasExited) return;
        this.forceKilled = true;
        signal(-pid, 'SIGKILL');
      })();
    }, this.options.killGraceMs);
  }

  private async sweep(): Promise<number[]> {
    if (this.pid === null || this.tracker === null) return [];
    signal(-this.pid, 'SIGKILL'); // group members left behind by the leader
    return this.tracker.killLeftovers();
  }

  private clearTimers(): void {
    for (const timer of [this.graceTimer, this.timeoutTimer, this.lingerTimer]) {
      if (timer !== null) clearTimeout(timer);
    }
    this.graceTimer = null;
    this.timeoutTimer = null;
    this.lingerTimer = null;
    this.tracker?.stop();
  }
}

function spawnErrorText(original: string | undefined, short: string | undefined): string {
  if (original !== undefined && original !== '') return original;
  return short !== undefined && short !== '' ? short : 'could not start the process';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
