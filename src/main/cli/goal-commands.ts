// The commands that act on one goal: resume, cancel, pause, interrupt, rollback, delete. Each goes
// through the host client (the running console's host when there is one), takes GOAL as any unique
// id prefix, prints a line (or one JSON object with --json) and exits 0, or 1 with the reason.
import { createInterface } from 'node:readline/promises';
import type { DiffStat } from '../../shared/domain/goal.js';
import { openHostClient } from './host-client/connect.js';
import type { HostClient } from './host-client/client.js';
import { resolveGoal } from './goal-ref.js';
import { parseGoalCommand, type GoalCommandName, type GoalCommandOptions } from './goal-command-options.js';
import { followGoal } from './follow.js';
import { followToEnd } from './goal-session.js';
import { GOAL_COMMAND_HELP, UsageError } from './usage.js';
import { hasTerminal } from './terminal.js';
import type { RunnerTarget } from './nats-flags.js';

type Out = (line: string) => void;

async function withClient<T>(
  target: { dataDir: string | null; runner: RunnerTarget | null },
  action: (client: HostClient) => Promise<T>,
  publishLocal = false,
): Promise<T> {
  const client = await openHostClient({ dataDir: target.dataDir, publishLocal, runner: target.runner });
  try {
    return await action(client);
  } finally {
    await client.close();
  }
}

function report(options: GoalCommandOptions, out: Out, json: Record<string, unknown>, text: string): void {
  out(options.json ? JSON.stringify(json) : text);
}

export function goalCommand(command: Exclude<GoalCommandName, 'diff' | 'logs'>) {
  return async (argv: string[], out: Out): Promise<number> => {
    const options = parseGoalCommand(command, argv);
    if (options.help) return (out(GOAL_COMMAND_HELP[command]), 0);
    if (options.command === 'resume') return resumeCommand(options, out);
    return withClient(options, async (client) => {
      const goal = await resolveGoal(client, options.goal);
      const goalId = goal.id;
      const short = goalId.slice(0, 8);
      switch (options.command) {
        case 'cancel':
          await client.invoke('goal.cancel', { goalId });
          report(
            options,
            out,
            { goalId, cancelled: true },
            `Cancelling goal ${short}: the running turn stops and the goal ends as cancelled.`,
          );
          return 0;
        case 'pause':
          await client.invoke('goal.pause', { goalId });
          report(
            options,
            out,
            { goalId, paused: true },
            `Goal ${short} pauses after the running turn. Continue it with: overseer resume ${short}`,
          );
          return 0;
        case 'interrupt': {
          const { queueDepth } = await client.invoke('goal.interrupt', {
            goalId,
            message: options.note,
            stopTurn: options.stopTurn,
          });
          report(
            options,
            out,
            { goalId, queueDepth, stopTurn: options.stopTurn },
            `Note queued for goal ${short} (${queueDepth} waiting)${options.stopTurn ? '; the running turn stops now' : '; Claude reads it at the next turn'}.`,
          );
          return 0;
        }
        case 'rollback': {
          const phase = options.after ? 'post' : 'pre';
          const { sha } = await client.invoke('goal.rollback', { goalId, turnIndex: options.turn - 1, phase });
          report(
            options,
            out,
            { goalId, turn: options.turn, phase, sha },
            `Goal ${short}: files restored to how they were ${options.after ? 'after' : 'before'} turn ${options.turn} (checkpoint ${sha.slice(0, 8)}).`,
          );
          return 0;
        }
        case 'delete':
          return deleteGoal(client, goalId, options, out);
        default:
          return 1;
      }
    });
  };
}

async function resumeCommand(
  options: { goal: string | undefined; json: boolean; dataDir: string | null; runner: RunnerTarget | null },
  out: Out,
): Promise<number> {
  return withClient(
    options,
    async (client) => {
      const goal = await resolveGoal(client, options.goal);
      const goalId = goal.id;
      const detail = await client.invoke('goal.get', { goalId });
      const ask = detail.goal.permissionMode === 'ask';
      const askOnTerminal = ask && hasTerminal();
      if (ask && !askOnTerminal && client.kind === 'local') {
        throw new UsageError(
          'this goal asks about tool calls: resume it on an interactive terminal, or with the console running to answer there',
        );
      }
      const follower = followGoal(client, { json: options.json, out, askOnTerminal });
      try {
        if (goal.status === 'paused') await client.invoke('goal.resume', { goalId });
        else if (goal.status === 'interrupted' || goal.status === 'pending')
          await client.invoke('goal.restart', { goalId });
        else if (goal.status !== 'running' && goal.status !== 'sleeping') {
          throw new UsageError(
            `goal ${goalId.slice(0, 8)} is ${goal.status}: only an interrupted, paused or never-started goal can be resumed`,
          );
        }
      } catch (error) {
        follower.close();
        throw error;
      }
      if (!options.json)
        out(
          `Following goal ${goalId.slice(0, 8)} (${goal.status === 'running' || goal.status === 'sleeping' ? 'already running' : 'resumed'}).`,
        );
      await follower.attach(goalId);
      return followToEnd(client, follower, goalId, { json: options.json, out });
    },
    true,
  );
}

function statLines(stat: DiffStat, limit = 50): string[] {
  const lines = stat.files.slice(0, limit).map((file) => {
    const name = file.oldPath !== null && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path;
    return `  ${file.status.padEnd(9)} ${name}${file.binary ? ' (binary)' : ` +${file.added} −${file.removed}`}`;
  });
  if (stat.files.length > limit) lines.push(`  … and ${stat.files.length - limit} more`);
  return lines;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim().toLowerCase().startsWith('y');
  } finally {
    rl.close();
  }
}

/** Deletes a goal; a worktree's changes that are committed nowhere are lost only when confirmed or --force. */
async function deleteGoal(
  client: HostClient,
  goalId: string,
  options: Extract<GoalCommandOptions, { command: 'delete' }>,
  out: Out,
): Promise<number> {
  const short = goalId.slice(0, 8);
  const detail = await client.invoke('goal.get', { goalId });
  let atRisk: DiffStat | null = null;
  if (detail.workspace?.kind === 'worktree' && detail.summary.status !== 'pending') {
    try {
      const diff = await client.invoke('goal.cumulativeDiff', { goalId });
      if (diff.stat.files.length > 0) atRisk = diff.stat;
    } catch (error) {
      if (!options.force) {
        throw new UsageError(
          `cannot tell what deleting goal ${short} would lose (${error instanceof Error ? error.message : String(error)}); pass --force to delete anyway`,
        );
      }
    }
  }
  if (atRisk !== null && !options.force) {
    const lines = [
      `Goal ${short}'s worktree ${detail.workspace?.path ?? ''} holds ${atRisk.files.length} changed file(s) (+${atRisk.added} −${atRisk.removed}) committed nowhere; deleting the goal loses them:`,
      ...statLines(atRisk),
      `Keep them first (overseer land ${short}), or delete anyway with --force.`,
    ];
    if (options.json || !hasTerminal()) {
      process.stderr.write(`${lines.join('\n')}\n`);
      throw new UsageError(`not deleted: goal ${short} has uncommitted work (use --force to lose it)`);
    }
    for (const line of lines) out(line);
    if (!(await confirm(`Delete goal ${short} and lose these changes? [y/N] `))) {
      out('Not deleted.');
      return 1;
    }
  }
  const { message } = await client.invoke('goal.delete', { goalId, keepBranch: options.keepBranch });
  report(
    options,
    out,
    { goalId, deleted: true, message, lostFiles: atRisk?.files.map((file) => file.path) ?? [] },
    `Goal ${short} deleted: ${message}${atRisk !== null ? ` (${atRisk.files.length} changed file(s) discarded)` : ''}.`,
  );
  return 0;
}
