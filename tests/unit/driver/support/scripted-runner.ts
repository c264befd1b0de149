// A fake AttemptRunner for loop tests: each call runs the next scripted step, which gets the
// attempt's params and returns (part of) an output; unspecified fields get neutral values.
import type { AttemptParams, AttemptRunner, AttemptRunOutput } from '../../../../src/main/driver/attempt-port.js';
import type { AttemptOutcome } from '../../../../src/shared/domain/goal.js';
import { continueBecause } from '../../../../src/main/driver/turn-verdict.js';

export type Step = (params: AttemptParams) => Partial<AttemptRunOutput> | Promise<Partial<AttemptRunOutput>>;

export const outcome =
  (o: AttemptOutcome): Step =>
  () => ({ outcome: o });
export const done: Step = outcome({ kind: 'done' });

/** A step that waits until the attempt is stopped and then reports what a stopped Claude turn reports. */
export const untilStopped: Step = (params) =>
  new Promise((resolve) => {
    const finish = (): void =>
      resolve({
        outcome: params.stop.reason() === 'cancel' ? { kind: 'cancelled' } : continueBecause('stopped_by_operator'),
      });
    if (params.stop.signal.aborted) finish();
    else params.stop.signal.addEventListener('abort', finish, { once: true });
  });

export class ScriptedRunner implements AttemptRunner {
  readonly calls: AttemptParams[] = [];
  private readonly gates: (() => void)[] = [];

  constructor(
    readonly steps: Step[],
    private readonly fallback: Step = done,
  ) {}

  get prompts(): string[] {
    return this.calls.map((call) => call.prompt);
  }

  async run(params: AttemptParams): Promise<AttemptRunOutput> {
    const step = this.steps[this.calls.length] ?? this.fallback;
    this.calls.push(params);
    const part = await step(params);
    return {
      outcome: { kind: 'done' },
      usageAfter: { ...params.usage, tokens: params.usage.tokens + 10, wallTimeMs: params.usage.wallTimeMs + 1 },
      acceptance: null,
      finalText: `reply ${this.calls.length - 1}`,
      sessionId: 'session-1',
      turnTokens: 10,
      turnCostUsd: 0,
      permissionDenials: 0,
      compactSummary: null,
      ...part,
    };
  }

  /** A step that blocks until `release()` is called (one gate per use). */
  gated(then: Step = done): Step {
    return (params) =>
      new Promise((resolve) => {
        this.gates.push(() => resolve(then(params)));
      });
  }

  release(): void {
    this.gates.shift()?.();
  }

  get waiting(): number {
    return this.gates.length;
  }
}
