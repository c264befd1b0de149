// Keyboard safety for approvals: a prompt that has just appeared cannot be approved by a key until
// it has been on screen for a short moment, so a second `a` pressed in flight (meant for the
// previous prompt) does not approve one the user has not seen. The moment restarts when the page
// comes back into view. Clicks are not guarded: a click is aimed at what is shown.
import { useEffect, useRef, useState } from 'react';

/** How long a newly shown prompt ignores approval keys. */
export const KEY_GUARD_MS = 600;

/** The guard's rule: ready once `delayMs` have passed since it was shown. */
export function keysReady(shownAt: number, now: number, delayMs = KEY_GUARD_MS): boolean {
  return now - shownAt >= delayMs;
}

export interface KeyGuard {
  /** For display: the keys are live (re-renders when it turns true). */
  armed: boolean;
  /** For key handlers: checked at the moment of the key press. */
  ready: () => boolean;
  /** performance.now() when the guarded moment started. */
  shownAt: number;
}

/** Guards the prompt `id`: the moment starts when a new id is shown and when the page becomes visible. */
export function useKeyGuard(id: string, delayMs = KEY_GUARD_MS): KeyGuard {
  const shown = useRef({ id, at: performance.now() });
  if (shown.current.id !== id) shown.current = { id, at: performance.now() };
  const [armedFor, setArmedFor] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const start = (): void => {
      if (timer !== null) clearTimeout(timer);
      setArmedFor(null);
      timer = setTimeout(() => setArmedFor(id), delayMs);
    };
    const onVisibility = (): void => {
      if (document.visibilityState !== 'visible') return;
      shown.current = { id, at: performance.now() };
      start();
    };
    start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [id, delayMs]);
  return {
    armed: armedFor === id,
    ready: () =>
      document.visibilityState === 'visible' &&
      shown.current.id === id &&
      keysReady(shown.current.at, performance.now(), delayMs),
    shownAt: shown.current.at,
  };
}
