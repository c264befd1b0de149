// The end of `overseer run` / `resume`: follow the goal until it completes, Ctrl-C to cancel it
// (a second Ctrl-C kills Claude Code when the goal runs in this process; with the console it
// leaves the console to finish the cancel), then say where the work is and how to land it.
import type { GoalOutcome } from '../../shared/domain/goal.js';
import { killNow } from '../driver/index.js';
import type { ProcessRecord } from '../store/index.js';
import type { HostClient } from './host-client/client.js';
import type { LocalHostClient } from './host-client/local.js';
import type { GoalFollower } from './follow.js';

export function exitCodeFor(outcome: GoalOutcome): number {
  if (outcome.error !== null) return 1;
  switch (outcome.outcome.kind) {
    case 'done':
      return 0;
    case 'budget_exhausted':
      return 2;
    case 'cancelled':
      return 130;
    default:
      return 3;
  }
}

function isLocal(client: HostClient): client is LocalHostClient {
  return client.kind === 'local';
}

/**
 * SIGKILLs the goal's recorded Claude processes (their groups), each only while its pid still names
 * the process that was recorded (same start time): a pid reused since is someone else's. Returns the
 * pids signalled.
 */
export function killGoalProcesses(records: readonly ProcessRecord[], goalId: string): number[] {
  const killed: number[] = [];
  for (const record of records) {
    if (record.goalId === goalId && killNow(record.pid, record.processStartedAt)) killed.push(record.pid);
  }
  return killed;
}

/** Where the work is and what to do with it (not in --json mode: stdout is events only). */
export async function describeWork(client: HostClient, goalId: string): Promise<string[]> {
  const detail = await client.invoke('goal.get', { goalId });
  const short = goalId.slice(0, 8);
  const ws = detail.workspace;
  const lines: string[] = [];
  if (ws === null) lines.push(`The goal has no workspace on disk (${detail.goal.repoPath}).`);
  else if (ws.kind === 'worktree') {
    lines.push(
      `The work is in ${ws.path} (branch ${ws.branch ?? `overseer/${goalId}`}), not yet in ${detail.goal.repoPath}.`,
    );
    lines.push(`Review it: overseer diff ${short}    Land it: overseer land ${short}`);
  } else if (ws.kind === 'in_place') {
    lines.push(`The work is in ${ws.path} itself (in place), uncommitted.`);
    lines.push(`Review it: overseer diff ${short}    Commit it: overseer land ${short}`);
  } else lines.push(`The work is in ${ws.path} (no git: no checkpoints or diffs).`);
  return lines;
}

export async function followToEnd(
  client: HostClient,
  follower: GoalFollower,
  goalId: string,
  options: { json: boolean; out: (line: string) => void },
): Promise<number> {
  let interrupts = 0;
  const short = goalId.slice(0, 8);
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write(
        `\noverseer: cancelling the goal (Ctrl-C again to ${isLocal(client) ? 'kill it now' : 'stop following it'})…\n`,
      );
      client.invoke('goal.cancel', { goalId }).catch(() => undefined);
      return;
    }
    if (isLocal(client)) {
      process.stderr.write('overseer: killing Claude Code\n');
      killGoalProcesses(client.host.stores.transcripts.recordedProcesses(), goalId);
      client.host.stores.close();
    } else process.stderr.write(`overseer: no longer following goal ${short}; the console finishes cancelling it\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  try {
    let outcome: GoalOutcome;
    try {
      outcome = await follower.done;
    } catch (error) {
      process.stderr.write(`overseer: ${error instanceof Error ? error.message : String(error)}\n`);
      process.stderr.write(
        `overseer: goal ${short} was not finished; once Overseer runs again: overseer resume ${short}\n`,
      );
      return 1;
    }
    if (isLocal(client)) {
      // Let the runner let go of the goal before the host closes (else it counts as interrupted).
      await client.host.runner.finished(goalId)?.catch(() => undefined);
      client.host.stores.events.flush();
    }
    if (!options.json) {
      if (outcome.error !== null) process.stderr.write(`overseer: ${outcome.error}\n`);
      try {
        for (const line of await describeWork(client, goalId)) options.out(line);
      } catch {
        // The goal's summary is a courtesy: its outcome stands.
      }
    }
    return exitCodeFor(outcome);
  } finally {
    process.off('SIGINT', onSigint);
    follower.close();
  }
}
