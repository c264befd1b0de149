// The worktree setup phase of a goal, run by the goal runner before the driver's first turn: which
// setup applies (the goal's own, frozen when it was created, else the repository's stored
// settings), then copy, link and run the commands in the new worktree, recording every step as
// events (live output batched, elapsed time, the failing command's exit code and output tail).
// It is not a turn: the driver's first checkpoint, taken after it, is the baseline of turn 1.
import { z } from 'zod';
import { ZERO_USAGE, type Goal, type GoalOutcome } from '../../shared/domain/goal.js';
import { WorktreeSetupSchema, setupIsEmpty, type WorktreeSetup } from '../../shared/domain/landing.js';
import type { DriverEvent } from '../../shared/events.js';
import type { Stores } from '../store/index.js';
import {
  type GitWorkspaceManager,
  NO_GIT_METADATA_KEY,
  copyMatchingFiles,
  linkSharedFolders,
  runSetupCommand,
} from '../workspace/index.js';

/** Goal metadata key holding the goal's own setup (set at creation from the form or `--setup/--copy`). */
export const SETUP_METADATA_KEY = 'worktreeSetup';

/** Metadata for a goal with its own setup (null: the repository's stored settings apply at start). */
export function setupMetadata(setup: WorktreeSetup | null): Record<string, unknown> {
  return setup === null ? {} : { [SETUP_METADATA_KEY]: WorktreeSetupSchema.parse(setup) };
}

/** The setup a goal runs with: its own, else its repository's, else nothing. */
export function setupFor(goal: Goal, stores: Pick<Stores, 'repositorySettings'>): WorktreeSetup | null {
  if (goal.inPlace || goal.metadata[NO_GIT_METADATA_KEY] === true) return null;
  const own = z.object({ [SETUP_METADATA_KEY]: WorktreeSetupSchema }).safeParse(goal.metadata);
  const setup = own.success
    ? own.data[SETUP_METADATA_KEY]
    : (stores.repositorySettings.get(goal.repoPath)?.setup ?? null);
  return setup === null || setupIsEmpty(setup) ? null : setup;
}

export type SetupOutcome = { ok: true } | { ok: false; cancelled: boolean; message: string };

const FLUSH_MS = 200;
const FLUSH_BYTES = 8 * 1024;
/** Output kept in the event log per command; the rest is counted, not stored. */
const MAX_STORED_BYTES = 1024 * 1024;
const TAIL_LINES = 40;

export class SetupPhase {
  constructor(
    private readonly stores: Stores,
    private readonly workspaces: GitWorkspaceManager,
  ) {}

  /** True when the goal has a setup to run and has not had a turn yet. */
  pending(goal: Goal): WorktreeSetup | null {
    const setup = setupFor(goal, this.stores);
    if (setup === null) return null;
    return this.stores.turns.turnsForGoal(goal.id).length === 0 ? setup : null;
  }

  async run(goal: Goal, setup: WorktreeSetup, signal: AbortSignal): Promise<SetupOutcome> {
    const started = Date.now();
    const elapsed = (): number => Date.now() - started;
    const emit = (event: DriverEvent): void => void this.stores.events.append(event);
    const finish = (
      event: Omit<Extract<DriverEvent, { kind: 'setup_finished' }>, 'kind' | 'goalId' | 'elapsedMs'>,
    ): SetupOutcome => {
      this.stores.events.appendDurable({ kind: 'setup_finished', goalId: goal.id, elapsedMs: elapsed(), ...event });
      return event.ok ? { ok: true } : { ok: false, cancelled: event.cancelled, message: event.message };
    };
    let workspacePath = goal.repoPath;
    try {
      const ws = await this.workspaces.ensure(goal);
      workspacePath = ws.path;
      this.stores.events.appendDurable({ kind: 'setup_started', goalId: goal.id, setup, workspacePath });
      const info = (text: string): void =>
        emit({ kind: 'setup_output', goalId: goal.id, commandIndex: -1, stream: 'info', text, elapsedMs: elapsed() });
      if (setup.copy.length > 0) {
        const copied = await copyMatchingFiles(ws.repoPath, ws.path, setup.copy);
        info(
          copied.length === 0
            ? `no file matched ${setup.copy.join(', ')}`
            : `copied ${copied.length} file(s): ${copied.slice(0, 20).join(', ')}${copied.length > 20 ? ', …' : ''}`,
        );
      }
      if (setup.shared.length > 0) {
        const linked = await linkSharedFolders(ws.repoPath, ws.path, setup.shared);
        for (const path of linked.linked)
          info(`${path} linked from the main checkout (shared: changes there show here too)`);
        for (const skip of linked.skipped) info(`${skip.path} not linked: ${skip.reason}`);
      }
      for (const [index, command] of setup.commands.entries()) {
        if (signal.aborted)
          return finish({
            ok: false,
            cancelled: true,
            command,
            exitCode: null,
            outputTail: '',
            message: 'setup cancelled',
          });
        info(`$ ${command}`);
        const output = new CommandOutput((stream, text) =>
          emit({ kind: 'setup_output', goalId: goal.id, commandIndex: index, stream, text, elapsedMs: elapsed() }),
        );
        const result = await runSetupCommand(command, {
          cwd: ws.path,
          signal,
          onOutput: (stream, text) => output.add(stream, text),
        });
        output.close();
        if (result.cancelled)
          return finish({
            ok: false,
            cancelled: true,
            command,
            exitCode: null,
            outputTail: output.tail(),
            message: `setup cancelled during \`${command}\``,
          });
        if (result.exitCode !== 0) {
          const how =
            result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
          return finish({
            ok: false,
            cancelled: false,
            command,
            exitCode: result.exitCode,
            outputTail: output.tail(),
            message: `setup command \`${command}\` failed (${how})`,
          });
        }
      }
      return finish({
        ok: true,
        cancelled: false,
        command: null,
        exitCode: null,
        outputTail: '',
        message: `worktree ready at ${workspacePath}`,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return finish({
        ok: false,
        cancelled: false,
        command: null,
        exitCode: null,
        outputTail: '',
        message: `setup failed: ${message}`,
      });
    }
  }
}

/** Batches a command's output into events and keeps its last lines for the failure message. */
class CommandOutput {
  private buffered: { stream: 'stdout' | 'stderr'; text: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stored = 0;
  private dropped = 0;
  private lastLines = '';

  constructor(private readonly publish: (stream: 'stdout' | 'stderr', text: string) => void) {}

  add(stream: 'stdout' | 'stderr', text: string): void {
    this.lastLines = (this.lastLines + text).slice(-16 * 1024);
    if (this.buffered !== null && this.buffered.stream !== stream) this.flush();
    this.buffered = { stream, text: (this.buffered?.text ?? '') + text };
    if (this.buffered.text.length >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  close(): void {
    this.flush();
    if (this.dropped > 0) this.publish('stderr', `[${this.dropped} more bytes of output not stored]\n`);
  }

  tail(): string {
    return this.lastLines.split('\n').slice(-TAIL_LINES).join('\n').trimEnd();
  }

  private flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const chunk = this.buffered;
    this.buffered = null;
    if (chunk === null || chunk.text === '') return;
    if (this.stored >= MAX_STORED_BYTES) {
      this.dropped += chunk.text.length;
      return;
    }
    this.stored += chunk.text.length;
    this.publish(chunk.stream, chunk.text);
  }
}

/**
 * Runs the goal's pending setup (cancellable through `aborts`, keyed by goal id), then `drive`
 * (the driver's goal loop) when setup passed. A failed or cancelled setup ends the goal without a
 * turn; its outcome says why.
 */
export async function driveAfterSetup(
  phase: SetupPhase,
  goal: Goal,
  aborts: Map<string, AbortController>,
  drive: () => Promise<GoalOutcome>,
): Promise<GoalOutcome> {
  const setup = phase.pending(goal);
  if (setup !== null) {
    const abort = new AbortController();
    aborts.set(goal.id, abort);
    let result: SetupOutcome;
    try {
      result = await phase.run(goal, setup, abort.signal);
    } finally {
      aborts.delete(goal.id);
    }
    if (!result.ok) {
      return {
        goalId: goal.id,
        outcome: result.cancelled ? { kind: 'cancelled' } : { kind: 'escalate', reason: result.message },
        error: result.cancelled ? null : result.message,
        totalTurns: 0,
        usage: ZERO_USAGE,
        finalText: null,
        acceptance: null,
        elapsedMs: 0,
      };
    }
  }
  return drive();
}
