// The terminal's question at a budget cap (`overseer run --on-budget pause`): when the goal pauses
// at a turns, wall-time, tokens or cost cap, ask for "+N and continue" or "end", and answer through
// the host's commands (so the console can answer too: whoever answers first wins, and a question
// answered elsewhere is withdrawn here).
import { createInterface, type Interface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { DriverEvent } from '../../shared/events.js';
import {
  axisExtension,
  capText,
  defaultStep,
  formatAxisAmount,
  parseAxisAmount,
  AXIS_LABELS,
  type BudgetExtension,
} from '../../shared/domain/budget-extension.js';

export interface BudgetAnswerPort {
  extend(goalId: string, extension: BudgetExtension): Promise<unknown>;
  end(goalId: string): Promise<unknown>;
}

export interface BudgetPrompt {
  publish(event: DriverEvent): void;
  close(): void;
}

export function createBudgetPrompt(options: {
  port: BudgetAnswerPort;
  input?: Readable;
  output?: Writable;
}): BudgetPrompt {
  const output = options.output ?? process.stdout;
  const rl: Interface = createInterface({ input: options.input ?? process.stdin, output, terminal: false });
  /** `answering`: our own answer is on its way (the events it causes are not news). */
  let asking: { goalId: string; abort: AbortController; answering: boolean } | null = null;
  let closed = false;
  const say = (text: string) => output.write(`${text}\n`);
  rl.on('close', () => {
    closed = true;
    asking?.abort.abort();
  });

  async function askAtCap(
    event: Extract<DriverEvent, { kind: 'budget_paused' }>,
    current: { abort: AbortController; answering: boolean },
  ): Promise<void> {
    const signal = current.abort.signal;
    const step = defaultStep(event.axis, event.budget);
    say('');
    say(
      `Budget · goal ${event.goalId.slice(0, 8)} reached its ${AXIS_LABELS[event.axis]} cap (${capText(event.axis, event.usage, event.budget)}) and waits.`,
    );
    for (;;) {
      const answer = (
        await rl.question(
          `Add how much ${AXIS_LABELS[event.axis]} and continue? Enter = +${formatAxisAmount(event.axis, step)}, a number, or [e]nd: `,
          { signal },
        )
      ).trim();
      if (answer.toLowerCase().startsWith('e')) {
        current.answering = true;
        await options.port.end(event.goalId);
        say('  Ending the goal at its cap.');
        return;
      }
      const parsed = answer === '' ? ({ ok: true, amount: step } as const) : parseAxisAmount(event.axis, answer);
      if (!parsed.ok) {
        say(`  ${parsed.error}`);
        continue;
      }
      current.answering = true;
      await options.port.extend(event.goalId, axisExtension(event.axis, parsed.amount));
      say(`  +${formatAxisAmount(event.axis, parsed.amount)}; the goal goes on.`);
      return;
    }
  }

  return {
    publish(event) {
      if (closed) return;
      if (event.kind === 'budget_paused') {
        asking?.abort.abort();
        const abort = new AbortController();
        const current = { goalId: event.goalId, abort, answering: false };
        asking = current;
        void askAtCap(event, current)
          .catch((error: unknown) => {
            if (!abort.signal.aborted)
              say(`  Could not apply that: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => {
            if (asking === current) asking = null;
          });
        return;
      }
      // Answered elsewhere (the console), or the goal ended: the question is withdrawn.
      if (
        (event.kind === 'goal_resumed' || event.kind === 'goal_completed') &&
        asking !== null &&
        asking.goalId === event.goalId &&
        !asking.answering
      ) {
        asking.abort.abort();
        asking = null;
        say(event.kind === 'goal_resumed' ? '\n  (Answered elsewhere: the goal goes on.)' : '');
      }
    },
    close() {
      closed = true;
      asking?.abort.abort();
      rl.close();
    },
  };
}
