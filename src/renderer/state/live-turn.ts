// What each goal's running turn has used so far (tokens, estimated cost), from its turn_usage
// events; cleared when a turn starts or ends (the goal's stored usage then has the exact figures).
// And a clock for views that tick (wall time, "Thinking · 12 s").
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { DriverEvent } from '../../shared/events';

export interface LiveTurnUsage {
  turnIndex: number;
  tokens: number;
  /** Estimated from the model's prices; null when the model's prices are unknown. */
  costUsd: number | null;
}

export const useLiveTurns = create<Record<string, LiveTurnUsage>>(() => ({}));

function without(goalId: string): void {
  useLiveTurns.setState((state) => {
    if (!(goalId in state)) return state;
    const next = { ...state };
    delete next[goalId];
    return next;
  }, true);
}

/** Feeds one live event (live.ts calls this for every goal event). */
export function receiveLiveUsage(event: DriverEvent): void {
  switch (event.kind) {
    case 'turn_usage':
      useLiveTurns.setState({
        [event.goalId]: { turnIndex: event.turnIndex, tokens: event.tokens, costUsd: event.costUsd },
      });
      return;
    case 'attempt_started':
    case 'attempt_completed':
    case 'goal_completed':
      without(event.goalId);
      return;
    default:
      return;
  }
}

/** Date.now(), updated every `everyMs` while `active`. */
export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    // The clock restarts fresh: a `now` left from before would show times waited as negative. Reading
    // Date.now() while rendering instead is what the purity rule forbids.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}
