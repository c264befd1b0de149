// Following one goal on the terminal (`run`, `resume`, `logs --follow`): its events as lines (or
// JSON), its permission prompts asked here when we may (answered through host commands, so the
// console can answer them too), and its end. Events that arrive before the goal's id is known
// (goal.create answers after the goal started) are kept and replayed once it is.
import type { GoalOutcome } from '../../shared/domain/goal.js';
import type { DriverEvent } from '../../shared/events.js';
import type { LoggedEvent } from '../../shared/domain/views.js';
import { createTerminalOperator, type TerminalOperator } from '../permission/index.js';
import type { HostClient } from './host-client/client.js';
import { clientOperator } from './host-client/operator.js';
import { describeEvent } from './event-lines.js';
import { RuleNames } from './rule-names.js';
import { createBudgetPrompt, type BudgetPrompt } from './budget-prompt.js';

export interface FollowOptions {
  json: boolean;
  out: (line: string) => void;
  /** Ask this goal's permission prompts on this terminal (needs a TTY). */
  askOnTerminal: boolean;
  /** Ask "+N and continue / end" on this terminal when the goal pauses at a budget cap. */
  askAtCap?: boolean;
}

export interface GoalFollower {
  /** Starts printing the goal's events (with those received before). */
  attach(goalId: string): Promise<void>;
  /** Prints one event (logs replays history through here). */
  print(logged: LoggedEvent): Promise<void>;
  /** The goal's outcome (its goal_completed event); rejects when the host goes away first. */
  readonly done: Promise<GoalOutcome>;
  readonly names: RuleNames;
  close(): void;
}

export function followGoal(client: HostClient, options: FollowOptions): GoalFollower {
  const names = new RuleNames(client);
  const terminal: TerminalOperator | null = options.askOnTerminal
    ? createTerminalOperator({
        operator: clientOperator(client),
        pauseGoal: (id) => client.invoke('goal.pause', { goalId: id }),
      })
    : null;
  const budgetPrompt: BudgetPrompt | null =
    options.askAtCap === true
      ? createBudgetPrompt({
          port: {
            extend: (id, extension) => client.invoke('goal.extendBudget', { goalId: id, extension }),
            end: (id) => client.invoke('goal.endAtCap', { goalId: id }),
          },
        })
      : null;
  let goalId: string | null = null;
  let early: LoggedEvent[] = [];
  /** Highest logSeq printed: a replay and the live stream may overlap. */
  let printedSeq = -1;
  let printing: Promise<void> = Promise.resolve();
  let settle: { resolve: (outcome: GoalOutcome) => void; reject: (error: Error) => void } | null = null;
  const done = new Promise<GoalOutcome>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be waiting yet: an unobserved rejection must not end the process.
  done.catch(() => undefined);

  async function emit(logged: LoggedEvent): Promise<void> {
    if (logged.logSeq <= printedSeq) return;
    printedSeq = logged.logSeq;
    const event: DriverEvent = logged.event;
    terminal?.publish(event);
    budgetPrompt?.publish(event);
    if (event.kind === 'goal_started') names.useGoal(event.goal);
    if (options.json) options.out(JSON.stringify(event));
    else {
      if (event.kind === 'permission_decided' && event.decidedBy.kind === 'rule')
        await names.ensure(event.decidedBy.ruleId);
      const line = describeEvent(event, (ruleId) => names.text(ruleId));
      if (line !== null) options.out(line);
      else if (event.kind === 'permission_requested' && terminal === null) {
        options.out(
          `  ? ${event.request.toolName} waits for your answer in the console's inbox (request ${event.request.id.slice(0, 8)})`,
        );
      }
    }
    if (event.kind === 'goal_completed') settle?.resolve(event.outcome);
  }

  function enqueue(logged: LoggedEvent): Promise<void> {
    printing = printing.then(() => emit(logged)).catch(() => undefined);
    return printing;
  }

  const unsubscribe = client.subscribe((hostEvent) => {
    if (hostEvent.channel !== 'goal.event') return;
    const logged = hostEvent.payload;
    if (goalId === null) early.push(logged);
    else if (logged.event.goalId === goalId) void enqueue(logged);
  });
  client.onLost((reason) => settle?.reject(new Error(reason)));

  return {
    async attach(id) {
      goalId = id;
      const kept = early.filter((logged) => logged.event.goalId === id);
      early = [];
      for (const logged of kept) void enqueue(logged);
      await printing;
    },
    print: (logged) => enqueue(logged),
    done,
    names,
    close() {
      unsubscribe();
      terminal?.close();
      budgetPrompt?.close();
    },
  };
}
