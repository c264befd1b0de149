// `overseer run`: drives one goal headless in the console's data directory (the console shows it
// afterwards). Exit codes: 0 done; 2 budget exhausted; 3 escalated or acceptance never met;
// 130 cancelled (first Ctrl-C cancels gracefully, the second kills); 1 bad input.
import { randomUUID } from 'node:crypto';
import { GoalSchema, type GoalOutcome } from '../../shared/domain/goal.js';
import { createHost, type Host } from '../host/host.js';
import { HostError } from '../host/command-error.js';
import { HostLockedError } from '../host/host-lock.js';
import { validateRepository } from '../host/handlers/goals.js';
import { ClaudeNotFoundError, findClaude } from '../driver/find-claude.js';
import { createTerminalOperator, TerminalRequiredError, type TerminalOperator } from '../permission/terminal.js';
import { withGoalPolicy } from '../permission/rules-file.js';
import { parseRunOptions } from './run-options.js';
import { describeEvent } from './event-lines.js';
import { RUN_HELP, UsageError } from './usage.js';

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

export async function runCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseRunOptions(argv);
  if (options.help) {
    out(RUN_HELP);
    return 0;
  }
  const repo = await validateRepository(options.repo);
  if (!repo.ok) throw new UsageError(`--repo: ${repo.message}`);
  let claudePath: string;
  try {
    claudePath = (await findClaude({ explicit: options.claude })).path;
  } catch (error) {
    if (error instanceof ClaudeNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  let terminal: TerminalOperator | null = null;
  let host: Host;
  try {
    host = await createHost({ mode: 'cli', heartbeatMs: 0, claudeBinary: claudePath, ...(options.dataDir !== null ? { dataDir: options.dataDir } : {}) });
  } catch (error) {
    if (error instanceof HostLockedError) throw new UsageError(error.message);
    throw error;
  }
  try {
    if (options.permissions.kind === 'ask') terminal = createTerminalOperator({ operator: host.permissions });
  } catch (error) {
    await host.close();
    if (error instanceof TerminalRequiredError) throw new UsageError(error.message);
    throw error;
  }

  const defaults = host.stores.settings.get('goals.defaultBudget');
  const goal = GoalSchema.parse({
    id: randomUUID(),
    description: options.goal,
    acceptance: options.acceptance,
    budget: { ...defaults, ...options.budget },
    repoPath: repo.path,
    inPlace: options.inPlace,
    model: options.model,
    permissionMode: options.permissions.kind === 'mode' ? options.permissions.mode : 'ask',
    metadata: options.permissions.kind === 'rules' ? withGoalPolicy({}, options.permissions.policy) : {},
    createdAt: new Date().toISOString(),
  });

  const unsubscribe = host.stores.events.subscribe((_seq, event) => {
    if (event.goalId !== goal.id) return;
    terminal?.publish(event);
    if (options.json) out(JSON.stringify(event));
    else {
      const line = describeEvent(event);
      if (line !== null) out(line);
    }
  });

  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\noverseer: cancelling the goal (Ctrl-C again to kill it now)…\n');
      try {
        host.runner.cancel(goal.id);
      } catch {
        // not running any more
      }
      return;
    }
    process.stderr.write('overseer: killing Claude Code\n');
    for (const record of host.stores.transcripts.recordedProcesses()) {
      if (record.goalId !== goal.id) continue;
      try {
        process.kill(-record.pid, 'SIGKILL');
      } catch {
        try {
          process.kill(record.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    host.stores.close();
    process.exit(130);
  };
  process.on('SIGINT', onSigint);

  try {
    host.stores.goals.insert(goal);
    try {
      const admitted = await host.runner.admit(goal);
      if (admitted.queued) {
        const running = host.runner.runningGoalIds().length;
        process.stderr.write(
          `overseer: ${running} ${running === 1 ? 'goal is' : 'goals are'} already running (the most at once, see Settings); this goal is queued at position ${admitted.position} and starts when a slot frees up\n`,
        );
      }
    } catch (error) {
      if (error instanceof HostError) throw new UsageError(error.message);
      throw error;
    }
    const outcome = await goalOutcome(host, goal.id);
    host.stores.events.flush();
    if (!options.json && outcome.error !== null) process.stderr.write(`overseer: ${outcome.error}\n`);
    return exitCodeFor(outcome);
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    terminal?.close();
    await host.close();
  }
}

/** Waits for the goal's end, through the queue if it was queued (cancelling a queued goal ends it too). */
function goalOutcome(host: Host, goalId: string): Promise<GoalOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: GoalOutcome): void => {
      if (settled) return;
      settled = true;
      unsubscribe();
      resolve(outcome);
    };
    const unsubscribe = host.stores.events.subscribe((_seq, event) => {
      if (event.goalId === goalId && event.kind === 'goal_completed') finish(event.outcome);
    });
    // Already started: its run ends with goal_completed too, but the runner's promise is the source.
    void host.runner.finished(goalId)?.then(finish);
  });
}
