// `overseer logs GOAL [--follow]`: the goal's event log from the start, one line per event (JSON
// with --json); --follow keeps printing live events until the goal ends (exit code as `run`).
import type { LoggedEvent } from '../../shared/domain/views.js';
import { openHostClient } from './host-client/connect.js';
import type { HostClient } from './host-client/client.js';
import { resolveGoal } from './goal-ref.js';
import { parseGoalCommand } from './goal-command-options.js';
import { followGoal } from './follow.js';
import { exitCodeFor } from './goal-session.js';
import { GOAL_COMMAND_HELP } from './usage.js';

const LIVE = new Set(['pending', 'running', 'paused', 'sleeping']);

async function* history(client: HostClient, goalId: string): AsyncGenerator<LoggedEvent> {
  let afterSeq: number | undefined;
  for (;;) {
    const page = await client.invoke('goal.events', {
      goalId,
      limit: 2000,
      ...(afterSeq !== undefined ? { afterSeq } : { afterSeq: 0 }),
    });
    for (const logged of page.events) yield logged;
    const last = page.events.at(-1);
    if (!page.hasMore || last === undefined) return;
    afterSeq = last.logSeq;
  }
}

export async function logsCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseGoalCommand('logs', argv);
  if (options.command !== 'logs') return 1;
  if (options.help) return (out(GOAL_COMMAND_HELP.logs), 0);
  const client = await openHostClient({ dataDir: options.dataDir, runner: options.runner });
  try {
    const goal = await resolveGoal(client, options.goal);
    const follow = options.follow && LIVE.has(goal.status);
    // Subscribe before reading the history: nothing falls between the two (duplicates are skipped).
    const follower = followGoal(client, { json: options.json, out, askOnTerminal: false });
    try {
      for await (const logged of history(client, goal.id)) await follower.print(logged);
      if (!follow) {
        if (options.follow && !options.json)
          out(`(goal ${goal.id.slice(0, 8)} is ${goal.status}: nothing more will come)`);
        return 0;
      }
      await follower.attach(goal.id);
      return exitCodeFor(await follower.done);
    } finally {
      follower.close();
    }
  } finally {
    await client.close();
  }
}
