// `overseer land GOAL --rebase --hand-to-claude`: after a conflicting rebase, hands the conflict
// note to Claude through the host's land.handToClaude (as the Land panel does). With the console
// running, its host drives the goal and we only say how to follow it; with a host of our own in
// this process, we follow the goal to its end here (closing our host would cancel it).
import type { BudgetExtension } from '../../shared/commands/land.js';
import type { HostClient } from './host-client/client.js';
import type { Invoke } from './host-commands.js';
import { followGoal } from './follow.js';
import { followToEnd } from './goal-session.js';
import { hasTerminal } from './terminal.js';
import { UsageError } from './usage.js';

export interface HandOffOptions {
  json: boolean;
  out: (line: string) => void;
}

/** Hands the note over; returns what the host answered (after following the goal when the host is ours). */
export async function handOffConflict(
  client: HostClient,
  invoke: Invoke,
  goalId: string,
  request: { note: string; extend: BudgetExtension },
  options: HandOffOptions,
): Promise<{ continued: boolean; maxTurns: number | null; message: string }> {
  const short = goalId.slice(0, 8);
  if (client.kind !== 'local') {
    const handed = await invoke('land.handToClaude', { goalId, ...request });
    if (!options.json)
      options.out(
        `${handed.message}. Follow it: overseer logs ${short} --follow; when it ends: overseer land ${short} --rebase`,
      );
    return handed;
  }
  const detail = await invoke('goal.get', { goalId });
  const askOnTerminal = detail.goal.permissionMode === 'ask' && hasTerminal();
  if (detail.goal.permissionMode === 'ask' && !askOnTerminal) {
    throw new UsageError(
      'this goal asks about tool calls: hand the conflict over on an interactive terminal, or with the console running to answer there',
    );
  }
  // Events go to stderr in text mode: stdout keeps the rebase report (and --json one object).
  const follower = followGoal(client, { json: false, out: (line) => process.stderr.write(`${line}\n`), askOnTerminal });
  let handed: { continued: boolean; maxTurns: number | null; message: string };
  try {
    handed = await invoke('land.handToClaude', { goalId, ...request });
  } catch (error) {
    follower.close();
    throw error;
  }
  if (!options.json) options.out(`${handed.message}; following it here until it ends.`);
  await follower.attach(goalId);
  await followToEnd(client, follower, goalId, { json: true, out: () => undefined });
  if (!options.json) options.out(`When you are ready: overseer land ${short} --rebase`);
  return handed;
}
