// Per-goal control state of the driver, one object per goal:
// pause flag, cancellation, the raised turn limit, the FIFO of operator notes, the running turn,
// the consecutive-deny counter and the goal's own compact breaker. Waits (pause, sleep) wake on any
// change, so cancel always wins over a stuck pause or a long sleep.
import type { BudgetGuards, Goal } from '../../shared/domain/goal.js';
import type { ExtendableAxis } from '../../shared/domain/budget-extension.js';
import type { TurnStop } from './attempt-port.js';
import { CompactBreaker } from './compact.js';
import { ContextMeter } from './context-pressure.js';

/**
 * The longest single timer wait. Node clamps a delay above 2^31-1 ms to 1 ms, which would turn a long
 * sleep into a busy loop; longer waits are taken in chunks of this size.
 */
export const MAX_TIMER_MS = 2 ** 31 - 2;

export type SleepResult =
  { kind: 'fired'; elapsedMs: number } | { kind: 'woken'; elapsedMs: number } | { kind: 'cancelled' };

export class GoalState {
  paused = false;
  cancelled = false;
  /** Operator override of maxTurns (grow-only); null when never raised. */
  raisedMaxTurns: number | null = null;
  /** The budget as the operator extended it while the goal ran; null: the goal's own. */
  extendedBudget: BudgetGuards | null = null;
  /** The axis whose cap the goal waits at (it pauses at caps); null when not waiting at one. */
  atCap: ExtendableAxis | null = null;
  /** The operator chose "End" at the cap: the goal ends budget-exhausted. */
  endAtCap = false;
  readonly interrupts: string[] = [];
  /** The attempt running now, if any. */
  currentTurn: TurnStop | null = null;
  /** A "stop this turn" arrived while the turn was being prepared: stop it as soon as it starts. */
  stopPending = false;
  /** True from the pre-turn checkpoint to the post-turn checkpoint (the workspace is busy). */
  turnActive = false;
  consecutiveDenies = 0;
  /** The goal while runGoal runs it; null when only pre-registered. */
  goal: Goal | null = null;
  readonly breaker = new CompactBreaker();
  /** How full the session's context window is (proactive compaction). */
  readonly context = new ContextMeter();
  /** Settles when runGoal has finished with this goal. */
  finished: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  private earlyWake = false;

  /** Wakes every wait so it re-checks its condition. */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private nextChange(timeoutMs: number | null): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const listener = (): void => {
        this.listeners.delete(listener);
        if (timer !== null) clearTimeout(timer);
        resolve();
      };
      this.listeners.add(listener);
      if (timeoutMs !== null) timer = setTimeout(listener, Math.min(MAX_TIMER_MS, Math.max(0, timeoutMs)));
    });
  }

  /** Holds while paused; returns at once when cancelled. */
  async waitWhilePaused(): Promise<void> {
    while (this.paused && !this.cancelled) await this.nextChange(null);
  }

  /** Holds at a cap until the budget changes (`stillExhausted` false), the operator ends it, or cancel. */
  async waitAtCap(stillExhausted: () => boolean): Promise<void> {
    while (!this.cancelled && !this.endAtCap && stillExhausted()) await this.nextChange(null);
  }

  /** Sleeps `durationMs`; cancel ends it (cancelled), `wakeEarly()` cuts it short (woken). */
  async sleep(durationMs: number): Promise<SleepResult> {
    const started = Date.now();
    this.earlyWake = false;
    for (;;) {
      if (this.cancelled) return { kind: 'cancelled' };
      const elapsedMs = Date.now() - started;
      if (this.earlyWake) {
        this.earlyWake = false;
        return { kind: 'woken', elapsedMs };
      }
      if (elapsedMs >= durationMs) return { kind: 'fired', elapsedMs };
      await this.nextChange(durationMs - elapsedMs);
    }
  }

  wakeEarly(): void {
    this.earlyWake = true;
    this.notify();
  }

  /** The turn limit now in force for a goal whose own budget says `baseMaxTurns`. */
  effectiveMaxTurns(baseMaxTurns: number): number {
    return this.raisedMaxTurns !== null && this.raisedMaxTurns > baseMaxTurns ? this.raisedMaxTurns : baseMaxTurns;
  }
}
